import type { ChatMessage, Role } from "./protocol";

interface Entry {
  msg: ChatMessage;
  /** The order in which messages reached this room, also seeded ones. */
  arrival: number;
}

/** What a page with a given cursor needs, or "resync" for a cursor never issued. */
export type CatchUp = { resync: false; messages: ChatMessage[] } | { resync: true; messages: ChatMessage[] };

/**
 * One patient's conversation with the provider, in memory only.
 *
 * Sequence numbers only ever grow, also across erases and server resets: a
 * room numbers from `base`, which is above anything an earlier instance of
 * the room can have issued. So after a reset, messages the browsers hand
 * back (seeded) slot in below the new ones and never collide with them.
 */
export class Conversation {
  readonly patient: string;
  /** Sorted by seq. */
  private entries: Entry[] = [];
  private readonly base: number;
  private lastSeq: number;
  private arrivals = 0;
  /** Everything up to here has been erased. */
  erasedUpto = 0;
  /** Highest sequence number any provider connection has been sent. */
  deliveredToProvider = 0;
  /** Client ids already applied, per sender role (ids only, never text). */
  private readonly applied = new Map<string, number>();

  constructor(patient: string, base = 0) {
    this.patient = patient;
    this.base = base;
    this.lastSeq = base;
  }

  get seq(): number {
    return this.lastSeq;
  }

  get messages(): ChatMessage[] {
    return this.entries.map((e) => e.msg);
  }

  /** The seq of the message this sender already sent with `cid`, if any. */
  appliedSeq(from: Role, cid: string): number | undefined {
    return this.applied.get(`${from}:${cid}`);
  }

  append(fields: Omit<ChatMessage, "type" | "patient" | "seq" | "sig">, sign: (msg: Omit<ChatMessage, "sig">) => string): ChatMessage {
    const unsigned: Omit<ChatMessage, "sig"> = { type: "msg", patient: this.patient, seq: ++this.lastSeq, ...fields };
    const msg: ChatMessage = { ...unsigned, sig: sign(unsigned) };
    this.entries.push({ msg, arrival: ++this.arrivals });
    this.applied.set(`${msg.from}:${msg.cid}`, msg.seq);
    return msg;
  }

  /**
   * Takes back a message from before a reset. Refused if it is not from an
   * earlier instance of the room, was erased, or is here already (by seq, or
   * by sender and client id when a resend got there first).
   */
  restore(msg: ChatMessage): boolean {
    if (msg.seq > this.base || msg.seq <= this.erasedUpto) return false;
    if (this.applied.has(`${msg.from}:${msg.cid}`)) return false;
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1].msg.seq > msg.seq) i--;
    if (this.entries[i - 1]?.msg.seq === msg.seq) return false;
    this.entries.splice(i, 0, { msg, arrival: ++this.arrivals });
    this.applied.set(`${msg.from}:${msg.cid}`, msg.seq);
    return true;
  }

  /** Drops every message up to and including `upto`; returns how many went. */
  erase(upto: number): number {
    this.erasedUpto = Math.max(this.erasedUpto, Math.min(upto, this.lastSeq));
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.msg.seq > this.erasedUpto);
    return before - this.entries.length;
  }

  /**
   * What a page holding everything up to `cursor` has not seen yet, in
   * order. A page receives messages in the order they reached the room, so
   * it holds everything that arrived before its cursor's message.
   *
   * A cursor from before this room started (a page from before a reset)
   * proves nothing about what the page holds, since copies are handed back
   * in any order: it gets the whole conversation, which it merges by seq,
   * and its own copy stays. A cursor this room never issued (from the
   * future) gets a clean resync: the page drops its copy for the room's.
   */
  since(cursor: number): CatchUp {
    if (cursor <= this.base || cursor <= this.erasedUpto) return { resync: false, messages: this.messages };
    const at = this.entries.find((e) => e.msg.seq === cursor);
    if (!at) return { resync: true, messages: this.messages };
    return { resync: false, messages: this.entries.filter((e) => e.arrival > at.arrival).map((e) => e.msg) };
  }

  /** Messages after `seq`, in order. */
  after(seq: number): ChatMessage[] {
    return this.messages.filter((m) => m.seq > seq);
  }
}
