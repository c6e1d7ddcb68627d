import { FILES } from "../../../protocol/files";
import { TokenBucket } from "../../rate-limit";

const DAY_MS = 24 * 3_600_000;
const MiB = 1024 * 1024;

/**
 * Chunk bytes one person may have asked of their pages, at once and per
 * second after that, over all their transfers. It is charged when the room
 * asks for a chunk, so an honest page never meets it; a chunk that was not
 * asked for closes its upload socket before it is looked at.
 */
export const BYTE_BUDGET = { burst: 16 * MiB, perSecond: 64 * MiB };
/** What one person's 24 hours remember at most: older transfers are merged. */
const ENTRIES_KEPT = 256;

/** Bytes set aside for one transfer, counted in full until it ends. */
export interface Reservation {
  /** The transfer ended having sent `bytes`: only those count. */
  settle(bytes: number): void;
}

/**
 * What one person may still send: a file moves only if the whole of it fits
 * in what is left of their 1 GB in the last 24 hours, and the room's memory
 * is all that counts it (a new room instance starts everyone at zero).
 */
export class Allowance {
  readonly budget: TokenBucket;
  private entries: { at: number; bytes: number }[] = [];

  constructor(now: number, budget = BYTE_BUDGET) {
    this.budget = new TokenBucket(budget, now);
  }

  /** Bytes sent or set aside in the last 24 hours. */
  used(now: number): number {
    this.entries = this.entries.filter((e) => e.at > now - DAY_MS);
    return this.entries.reduce((sum, e) => sum + e.bytes, 0);
  }

  /** Whether `bytes` more fit in this person's day. */
  fits(now: number, bytes: number): boolean {
    return this.used(now) + bytes <= FILES.dayBytes;
  }

  reserve(now: number, bytes: number): Reservation {
    const entry = { at: now, bytes };
    this.entries.push(entry);
    if (this.entries.length > ENTRIES_KEPT) {
      // Merged into the later one: it is forgotten no earlier than it would have been.
      const [a, b] = this.entries.splice(0, 2);
      this.entries.unshift({ at: b.at, bytes: a.bytes + b.bytes });
    }
    return { settle: (sent) => void (entry.bytes = Math.min(entry.bytes, sent)) };
  }

  /** Nothing left to remember: the person may be forgotten. */
  idle(now: number): boolean {
    return this.used(now) === 0 && this.budget.full(now);
  }
}

/** Everyone's allowance in this room instance, by person id. */
export class Allowances {
  private readonly byPerson = new Map<string, Allowance>();
  private readonly budget: typeof BYTE_BUDGET;

  constructor(budget = BYTE_BUDGET) {
    this.budget = budget;
  }

  of(person: string, now: number): Allowance {
    let allowance = this.byPerson.get(person);
    if (!allowance) this.byPerson.set(person, (allowance = new Allowance(now, this.budget)));
    return allowance;
  }

  /** Forgets people with nothing counted, looking at `max` of them per call, the longest unlooked-at first. */
  prune(now: number, max = 100): void {
    const looked: [string, Allowance][] = [];
    for (const entry of this.byPerson) {
      if (looked.length >= max) break;
      looked.push(entry);
    }
    for (const [id, allowance] of looked) {
      this.byPerson.delete(id);
      if (!allowance.idle(now)) this.byPerson.set(id, allowance);
    }
  }
}
