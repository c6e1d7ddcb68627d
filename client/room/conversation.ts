import { signal } from "@preact/signals-core";
import { TYPING } from "../../protocol/constants";
import type { ChatMessage, ConversationKind, PatientStatus, Roster, SessionInfo, Tombstone } from "../../protocol/wire";
import type { SharedFile } from "./files";
import { interleave, merge, type TimelineItem } from "./replica";

/** Where a conversation stands for this page. */
export type ConversationStatus = PatientStatus | "left" | "ended" | "active" | "deleted";

/** A join, leave or session start/end, placed after the message it followed. */
export interface TimelineEvent {
  afterSeq: number;
  time: number;
  text: string;
}

/** Someone else typing here, until about when. */
export interface Typist {
  id: string;
  name: string;
  until: number;
}

/** What a chat log shows, in order: messages, deleted messages' places, events and files. */
export type TimelineEntry = TimelineItem<TimelineEvent> | { kind: "file"; file: SharedFile };

export interface Pending {
  cid: string;
  text: string;
  failed?: string;
}

/**
 * One conversation as this page holds it: its messages in sequence order,
 * what is still on its way and the events between them. No DOM: the models
 * of both pages and the fault simulation use it. What only staff pages keep
 * is in `StaffConversation`, which the patient's page never loads.
 */
export class Conversation {
  readonly id: string;
  readonly kind = signal<ConversationKind>("waiting");
  readonly status = signal<ConversationStatus>("waiting");
  readonly session = signal<(SessionInfo & { endedAt?: number }) | null>(null);
  readonly messages = signal<ChatMessage[]>([]);
  readonly pending = signal<Pending[]>([]);
  readonly events = signal<TimelineEvent[]>([]);
  /** Files offered in it, in sequence order (ours not yet announced last). */
  readonly files = signal<SharedFile[]>([]);
  /** Sessions: who takes part, as the room signed it, and who of them has a page open. */
  readonly roster = signal<Roster | null>(null);
  readonly online = signal<string[]>([]);
  /** Others typing here now. Never kept beyond the page, never handed back. */
  readonly typing = signal<Typist[]>([]);
  /** Deleted messages, in their places (seq order): their text is gone for good. */
  readonly tombstones = signal<Tombstone[]>([]);
  /** Everything up to here was erased for everyone; the room never brings it back. */
  erasedUpto = 0;
  /** Everything up to here was erased for this person only (a colleague still had it open). */
  floor = 0;

  constructor(id: string) {
    this.id = id;
  }

  /** The highest seq held (a message's or a file's). */
  get top(): number {
    let top = this.messages.value.at(-1)?.seq ?? 0;
    for (const f of this.files.value) if (Number.isFinite(f.seq) && f.seq > top) top = f.seq;
    return top;
  }

  event(time: number, text: string): void {
    this.events.value = [...this.events.value, { afterSeq: this.top, time, text }];
  }

  /** An event at server time `time`, placed after the last message written by then (deleted ones too: their places stay). */
  eventAt(time: number, text: string): void {
    let after = 0;
    for (const m of [...this.messages.value, ...this.tombstones.value]) if (m.time <= time) after = Math.max(after, m.seq);
    const list = [...this.events.value];
    let i = list.length;
    while (i > 0 && (list[i - 1].afterSeq > after || (list[i - 1].afterSeq === after && list[i - 1].time > time))) i--;
    list.splice(i, 0, { afterSeq: after, time, text });
    this.events.value = list;
  }

  /** Whether this message was deleted (by its seq, or its writer and client id). */
  isDeleted(m: Pick<ChatMessage, "seq" | "by" | "cid">): boolean {
    return this.tombstones.value.some((t) => t.seq === m.seq || (t.from === m.by && t.cid === m.cid));
  }

  /** A message was deleted: its text goes, its tombstone takes its place. False if this page knew already. */
  bury(t: Tombstone): boolean {
    if (t.seq <= Math.max(this.erasedUpto, this.floor) || this.tombstones.value.some((k) => k.seq === t.seq)) return false;
    this.tombstones.value = [...this.tombstones.value, t].sort((a, b) => a.seq - b.seq);
    this.messages.value = this.messages.value.filter((m) => m.seq !== t.seq && !(m.by === t.from && m.cid === t.cid));
    return true;
  }

  /**
   * The participant list as the room sent it. Changes since the last one
   * become events: "<name> joined", "<name> left", "<name> was removed".
   * The first list a page gets says what happened before only when
   * `history` (staff pages, whose transcript tells all of it).
   */
  setParticipants(next: Roster, online: string[], history: boolean): void {
    const before = this.roster.value;
    this.roster.value = next;
    this.online.value = online;
    if (!before && !history) return;
    const known = new Map((before?.members ?? []).map((m) => [m.id, m]));
    for (const m of next.members) {
      const was = known.get(m.id);
      if (m.role === "guest" && !was) this.eventAt(m.at, `${m.name} joined`);
      if (m.gone && was?.gone !== m.gone) this.eventAt(m.goneAt ?? m.at, m.gone === "removed" ? `${m.name} was removed` : `${m.name} left`);
    }
  }

  /** "<name> is typing…" for a few seconds, unless they say it again or write. */
  someoneTyping(id: string, name: string): void {
    this.typing.value = [...this.typing.value.filter((t) => t.id !== id), { id, name, until: Date.now() + TYPING.showForMs }];
    setTimeout(() => {
      const now = Date.now();
      if (this.typing.value.some((t) => t.until <= now)) this.typing.value = this.typing.value.filter((t) => t.until > now);
    }, TYPING.showForMs);
  }

  /** They wrote: no longer typing. */
  stoppedTyping(id: string): void {
    if (this.typing.value.some((t) => t.id === id)) this.typing.value = this.typing.value.filter((t) => t.id !== id);
  }

  /** Adds a message once, in sequence order; false if it was already here, erased or deleted. */
  receive(msg: ChatMessage): boolean {
    this.settle(msg.cid);
    if (msg.seq <= Math.max(this.erasedUpto, this.floor) || this.isDeleted(msg)) return false;
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
    this.tombstones.value = this.tombstones.value.filter((t) => t.seq > upto);
    // Events up to the erase point belong to the erased conversation.
    this.events.value = this.events.value.filter((e) => e.afterSeq > upto);
    this.files.value = this.files.value.filter((f) => f.seq > upto);
    return this.messages.value.length < had;
  }

  /** Messages, deleted messages' places, events and files merged in the order they happened. */
  timeline(): TimelineEntry[] {
    const items = interleave(this.messages.value, this.events.value, this.tombstones.value);
    const files = this.files.value;
    if (files.length === 0) return items;
    const out: TimelineEntry[] = [];
    let i = 0;
    for (const item of items) {
      // An event follows the message or file it came after.
      const at = item.kind === "message" ? item.msg.seq : item.kind === "deleted" ? item.tombstone.seq : item.event.afterSeq + 0.5;
      while (i < files.length && files[i].seq < at) out.push({ kind: "file", file: files[i++] });
      out.push(item);
    }
    for (; i < files.length; i++) out.push({ kind: "file", file: files[i] });
    return out;
  }
}
