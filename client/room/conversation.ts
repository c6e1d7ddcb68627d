import { computed, signal } from "@preact/signals-core";
import type { ChatMessage, ConversationKind, ConversationMeta, PatientStatus, QueueEntry, SessionInfo } from "../../protocol/wire";
import { interleave, merge } from "./replica";

/** Where a conversation stands for this page. */
export type ConversationStatus = PatientStatus | "left" | "ended" | "active" | "deleted";

/** A join, leave or session start/end, placed after the message it followed. */
export interface TimelineEvent {
  afterSeq: number;
  time: number;
  text: string;
}

export interface Pending {
  cid: string;
  text: string;
  failed?: string;
}

/**
 * One conversation as this page holds it: its messages in sequence order,
 * what is still on its way, the events between them, and for staff pages
 * the unread count and what has been downloaded. No DOM: the models of both
 * pages and the fault simulation use it.
 */
export class Conversation {
  readonly id: string;
  readonly kind = signal<ConversationKind>("waiting");
  /** Patients' conversations: the patient. */
  readonly patient = signal<Omit<QueueEntry, "status" | "session"> | null>(null);
  /** Staff conversations: the room's signed description. */
  readonly meta = signal<ConversationMeta | null>(null);
  readonly status = signal<ConversationStatus>("waiting");
  readonly session = signal<(SessionInfo & { endedAt?: number }) | null>(null);
  readonly messages = signal<ChatMessage[]>([]);
  readonly pending = signal<Pending[]>([]);
  readonly events = signal<TimelineEvent[]>([]);
  readonly unread = signal(0);
  /** Staff conversations: this person's settings. */
  readonly muted = signal(false);
  readonly archived = signal(false);
  /** Staff members whose chat box shows this conversation. */
  readonly viewers = signal<string[]>([]);
  /** Everything up to here is in a downloaded chat-history.txt. */
  readonly downloadedSeq = signal(0);
  /** Everything up to here was erased for everyone; the room never brings it back. */
  erasedUpto = 0;
  /** Everything up to here was erased for this person only (a colleague still had it open). */
  floor = 0;
  readonly undownloaded = computed(() => this.messages.value.some((m) => m.seq > this.downloadedSeq.value));

  constructor(id: string) {
    this.id = id;
  }

  get staffOnly(): boolean {
    const kind = this.kind.value;
    return kind === "direct" || kind === "group";
  }

  /** The highest seq held. */
  get top(): number {
    return this.messages.value.at(-1)?.seq ?? 0;
  }

  event(time: number, text: string): void {
    this.events.value = [...this.events.value, { afterSeq: this.top, time, text }];
  }

  /** Adds a message once, in sequence order; false if it was already here or erased. */
  receive(msg: ChatMessage): boolean {
    this.settle(msg.cid);
    if (msg.seq <= Math.max(this.erasedUpto, this.floor)) return false;
    const next = merge(this.messages.value, msg);
    if (!next) return false;
    this.messages.value = next;
    return true;
  }

  /** The room has our message `cid`: it is no longer pending. */
  settle(cid: string): void {
    if (this.pending.value.some((p) => p.cid === cid)) this.pending.value = this.pending.value.filter((p) => p.cid !== cid);
  }

  fail(cid: string, reason: string): boolean {
    if (!this.pending.value.some((p) => p.cid === cid)) return false;
    this.pending.value = this.pending.value.map((p) => (p.cid === cid ? { ...p, failed: reason } : p));
    return true;
  }

  /** The room's copy replaces ours: what it holds follows. */
  resync(): void {
    this.messages.value = [];
  }

  /** Drops everything up to `upto`; for everyone, or (`mine`) for this person only. Returns whether anything held went. */
  eraseUpTo(upto: number, mine = false): boolean {
    if (mine) this.floor = Math.max(this.floor, upto);
    else this.erasedUpto = Math.max(this.erasedUpto, upto);
    const had = this.messages.value.length;
    this.messages.value = this.messages.value.filter((m) => m.seq > upto);
    // Events up to the erase point belong to the erased conversation.
    this.events.value = this.events.value.filter((e) => e.afterSeq > upto);
    this.downloadedSeq.value = Math.max(this.downloadedSeq.value, upto);
    return this.messages.value.length < had;
  }

  /** Messages and events merged in the order they happened. */
  timeline() {
    return interleave(this.messages.value, this.events.value);
  }
}

/** A patient's conversation as the queue describes it. */
export function fromQueue(entry: QueueEntry): Conversation {
  const conv = new Conversation(entry.c);
  conv.kind.value = entry.session ? "session" : "waiting";
  conv.patient.value = { c: entry.c, id: entry.id, name: entry.name, checkedInAt: entry.checkedInAt };
  conv.status.value = entry.status;
  conv.session.value = entry.session ?? null;
  conv.event(entry.checkedInAt, entry.session?.scheduled ? `${entry.name} joined the scheduled text-only session` : `${entry.name} checked in`);
  return conv;
}
