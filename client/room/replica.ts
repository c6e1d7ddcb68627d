import { LIMITS } from "../../protocol/constants";
import { PROTOCOL_VERSION } from "../../protocol/constants";
import type { ChatMessage, ClientMessageOf, Seed, Tombstone } from "../../protocol/wire";

/**
 * A page's copy of a conversation. The browsers are the replicas: after a
 * server reset they hand their copies back to the room (seed).
 */

/**
 * Adds `msg` in sequence order; null when it changes nothing. The same seq
 * is kept once. The same sender and client id under another seq means the
 * room applied a resend anew after a reset: the room's latest word wins.
 */
export function merge(list: readonly ChatMessage[], msg: ChatMessage): ChatMessage[] | null {
  if (list.some((m) => m.seq === msg.seq)) return null;
  const next = list.filter((m) => m.cid !== msg.cid || m.by !== msg.by);
  let i = next.length;
  while (i > 0 && next[i - 1].seq > msg.seq) i--;
  next.splice(i, 0, msg);
  return next;
}

/** Frames under the 64 KiB limit with room to spare; a message is at most ~24 KB of JSON. */
const SEED_BYTES = 40_000;

/**
 * A conversation as seed frames, split to stay under the frame limit. The
 * first frame carries `extra` (a staff page's queue entry, erase points,
 * signed description, participant list and access code); tombstones go
 * along, at most a frame's worth in each; there is always at least one frame.
 */
export function seedFrames(c: string, messages: readonly ChatMessage[], extra: Pick<Seed, "erased" | "floor" | "patient" | "meta" | "deleted" | "roster" | "code"> = {}): Seed[] {
  const { deleted = [], ...first } = extra;
  const frames: Seed[] = [];
  let batch: ChatMessage[] = [];
  let bytes = 0;
  const flush = () => {
    const graves = deleted.slice(frames.length * LIMITS.seedMessages, (frames.length + 1) * LIMITS.seedMessages);
    frames.push({ type: "seed", c, messages: batch, ...(frames.length === 0 ? first : {}), ...(graves.length > 0 ? { deleted: graves } : {}) });
    batch = [];
    bytes = 0;
  };
  for (const msg of messages) {
    // The arrival number belongs to the room instance that is gone.
    const { n: _n, ...kept } = msg;
    const size = new TextEncoder().encode(JSON.stringify(kept)).length;
    if (batch.length > 0 && (bytes + size > SEED_BYTES || batch.length >= LIMITS.seedMessages)) flush();
    batch.push(kept as ChatMessage);
    bytes += size;
  }
  if (batch.length > 0 || frames.length === 0) flush();
  while (frames.length * LIMITS.seedMessages < deleted.length) flush();
  return frames;
}

export type TimelineItem<E> = { kind: "message"; msg: ChatMessage } | { kind: "event"; event: E } | { kind: "deleted"; tombstone: Tombstone };

/**
 * Messages, tombstones of deleted messages (each in its message's place)
 * and events (each placed after the seq it followed), merged in the order
 * they happened.
 */
export function interleave<E extends { afterSeq: number }>(messages: readonly ChatMessage[], events: readonly E[], tombstones: readonly Tombstone[] = []): TimelineItem<E>[] {
  const queued = [...events];
  const out: TimelineItem<E>[] = [];
  const flush = (upto: number) => {
    while (queued.length > 0 && queued[0].afterSeq <= upto) out.push({ kind: "event", event: queued.shift()! });
  };
  const items: (TimelineItem<E> & { seq: number })[] = [
    ...messages.map((msg) => ({ kind: "message" as const, msg, seq: msg.seq })),
    ...tombstones.map((tombstone) => ({ kind: "deleted" as const, tombstone, seq: tombstone.seq })),
  ];
  if (tombstones.length > 0) items.sort((a, b) => a.seq - b.seq);
  for (const { seq, ...item } of items) {
    flush(seq - 1);
    out.push(item as TimelineItem<E>);
  }
  flush(Infinity);
  return out;
}

/**
 * Which room instance a page last spoke to. A welcome from a new one means
 * the room's memory was reset: the page hands its copy back, and keeps doing
 * so on each welcome until the room answers a ping sent after the copy
 * (frames are handled in order, so the pong means it all arrived).
 */
export class Epoch {
  current?: string;
  private handingBack = false;

  /** On a welcome; says whether the room was reset and whether to hand the copy back now. */
  welcome(epoch: string): { reset: boolean; handBack: boolean } {
    const reset = this.current !== undefined && this.current !== epoch;
    this.current = epoch;
    if (reset) this.handingBack = true;
    return { reset, handBack: this.handingBack };
  }

  /** The room answered our ping: everything sent before it was taken. */
  pong(): void {
    this.handingBack = false;
  }

  get seeding(): boolean {
    return this.handingBack;
  }

  forget(): void {
    this.current = undefined;
    this.handingBack = false;
  }

  /** What a page says on (re)connecting: fresh before its first welcome (no `pass` yet), resuming after from arrival number `n`. */
  hello(page: string, pass: string | undefined, n: number): ClientMessageOf<"hello"> {
    const resume = pass && this.current ? { resume: { pass, epoch: this.current, n } } : {};
    return { type: "hello", v: PROTOCOL_VERSION, page, ...resume };
  }
}
