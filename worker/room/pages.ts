import type { Socket } from "./socket";

const NONE: readonly Socket[] = [];

/**
 * One person's pages that said hello, in the order they did. Nearly
 * everyone has one page, so that one is held as it is; a set is made only
 * for a second page (a Set costs several times a page's own reference, for
 * every person in the room).
 */
export class Pages implements Iterable<Socket> {
  private held: Socket | Set<Socket> | undefined;

  get size(): number {
    const { held } = this;
    return held === undefined ? 0 : held instanceof Set ? held.size : 1;
  }

  has(page: Socket): boolean {
    const { held } = this;
    return held instanceof Set ? held.has(page) : held === page;
  }

  add(page: Socket): void {
    const { held } = this;
    if (held === undefined) this.held = page;
    else if (held instanceof Set) held.add(page);
    else if (held !== page) this.held = new Set([held, page]);
  }

  /** False if it was not one of them. */
  delete(page: Socket): boolean {
    const { held } = this;
    if (held === page) {
      this.held = undefined;
      return true;
    }
    if (!(held instanceof Set) || !held.delete(page)) return false;
    if (held.size === 1) this.held = held.values().next().value;
    return true;
  }

  [Symbol.iterator](): Iterator<Socket> {
    const { held } = this;
    if (held instanceof Set) return held.values();
    return (held === undefined ? NONE : [held]).values();
  }
}
