import type { ChatMessage, Role } from "./protocol";

/**
 * One patient's conversation with the provider, in memory only. Sequence
 * numbers only ever grow, also across erases, so a cursor always means the
 * same point in the conversation.
 */
export class Conversation {
  readonly patient: string;
  private entries: ChatMessage[] = [];
  private lastSeq = 0;
  /** Everything up to here has been erased. */
  erasedUpto = 0;
  /** Highest sequence number any provider connection has been sent. */
  deliveredToProvider = 0;
  /** Client ids already applied, per sender role (ids only, never text). */
  private readonly applied = new Map<string, number>();

  constructor(patient: string) {
    this.patient = patient;
  }

  get seq(): number {
    return this.lastSeq;
  }

  get messages(): readonly ChatMessage[] {
    return this.entries;
  }

  /** The seq of the message this sender already sent with `cid`, if any. */
  appliedSeq(from: Role, cid: string): number | undefined {
    return this.applied.get(`${from}:${cid}`);
  }

  append(from: Role, name: string, cid: string, text: string, time: number, broadcast = false): ChatMessage {
    const msg: ChatMessage = {
      type: "msg",
      patient: this.patient,
      seq: ++this.lastSeq,
      cid,
      from,
      name,
      text,
      time,
      ...(broadcast ? { broadcast: true as const } : {}),
    };
    this.entries.push(msg);
    this.applied.set(`${from}:${cid}`, msg.seq);
    return msg;
  }

  /** Drops every message up to and including `upto`; returns how many went. */
  erase(upto: number): number {
    this.erasedUpto = Math.max(this.erasedUpto, Math.min(upto, this.lastSeq));
    const before = this.entries.length;
    this.entries = this.entries.filter((m) => m.seq > upto);
    return before - this.entries.length;
  }

  /** Messages after `seq`, in order. */
  after(seq: number): ChatMessage[] {
    return this.entries.filter((m) => m.seq > seq);
  }
}
