import { computed, signal } from "@preact/signals";
import type { ChatMessage, PatientInfo, SessionInfo } from "../../worker/protocol";
import { interleave, merge } from "../lib/replica";

export type ThreadStatus = PatientInfo["status"] | "left" | "ended";

/** A join, leave or session start/end, placed after the message it followed. */
export interface ThreadEvent {
  afterSeq: number;
  time: number;
  text: string;
}

export interface Pending {
  cid: string;
  text: string;
  failed?: string;
}

/** One patient as the provider sees them: queue entry and conversation. */
export class Thread {
  readonly id: string;
  readonly name: string;
  readonly checkedInAt: number;
  readonly status = signal<ThreadStatus>("waiting");
  readonly messages = signal<ChatMessage[]>([]);
  readonly pending = signal<Pending[]>([]);
  readonly unread = signal(0);
  readonly events = signal<ThreadEvent[]>([]);
  readonly session = signal<(SessionInfo & { endedAt?: number }) | null>(null);
  /** Everything up to here is in a downloaded chat-history.txt. */
  readonly downloadedSeq = signal(0);
  /** The highest sequence number held: the resume cursor. */
  cursor = 0;
  /** Everything up to here was erased; the room never brings it back. */
  erasedUpto = 0;
  readonly undownloaded = computed(() => this.messages.value.some((m) => m.seq > this.downloadedSeq.value));

  constructor(info: PatientInfo) {
    this.id = info.id;
    this.name = info.name;
    this.checkedInAt = info.checkedInAt;
    this.status.value = info.status;
    this.session.value = info.session ?? null;
    this.event(info.checkedInAt, info.session?.scheduled ? `${info.name} joined the scheduled text-only session` : `${info.name} checked in`);
  }

  event(time: number, text: string): void {
    this.events.value = [...this.events.value, { afterSeq: this.cursor, time, text }];
  }

  /** Adds a message once, in sequence order; false if it was already here. */
  receive(msg: ChatMessage): boolean {
    if (msg.from === "provider") this.settle(msg.cid);
    const next = msg.seq > this.erasedUpto ? merge(this.messages.value, msg) : null;
    if (!next) return false;
    this.cursor = Math.max(this.cursor, msg.seq);
    this.messages.value = next;
    return true;
  }

  /** The room has our message `cid`: it is no longer pending. */
  settle(cid: string): void {
    if (this.pending.value.some((p) => p.cid === cid)) this.pending.value = this.pending.value.filter((p) => p.cid !== cid);
  }

  /** The room's copy replaces ours: what it holds follows. */
  resync(): void {
    this.messages.value = [];
    this.cursor = 0;
  }

  /** Messages and events merged in the order they happened. */
  timeline() {
    return interleave(this.messages.value, this.events.value);
  }

  eraseUpTo(upto: number): void {
    this.erasedUpto = Math.max(this.erasedUpto, upto);
    this.messages.value = this.messages.value.filter((m) => m.seq > upto);
    // Events up to the erase point belong to the erased conversation.
    this.events.value = this.events.value.filter((e) => e.afterSeq > upto);
    this.downloadedSeq.value = Math.max(this.downloadedSeq.value, upto);
  }
}
