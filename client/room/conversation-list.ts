import { signal } from "@preact/signals-core";
import type { ConversationMeta, QueueEntry, SessionInfo } from "../../protocol/wire";
import type { RoomEvent } from "./room-events";
import { fromQueue, StaffConversation } from "./staff-conversation";

/**
 * The conversations a page holds, as one signal, and how they come and go:
 * a patient arrives in the queue or leaves it, a session starts, a staff
 * conversation is described, changed, left or deleted.
 */
export class ConversationList {
  readonly all = signal(new Map<string, StaffConversation>());
  /** Deleted groups' descriptions, handed back after a reset so they stay deleted. */
  readonly deletedGroups = new Map<string, ConversationMeta>();
  private readonly emit: (event: RoomEvent) => void;

  constructor(emit: (event: RoomEvent) => void) {
    this.emit = emit;
  }

  get(c: string): StaffConversation | undefined {
    return this.all.value.get(c);
  }

  add(conv: StaffConversation): void {
    const next = new Map(this.all.value);
    next.set(conv.id, conv);
    this.all.value = next;
  }

  drop(c: string): void {
    if (!this.all.value.has(c)) return;
    const next = new Map(this.all.value);
    next.delete(c);
    this.all.value = next;
  }

  /** A patient's queue entry: a new patient (announced unless the whole queue is being listed), or news of one. */
  upsertPatient(entry: QueueEntry, announce: boolean): void {
    const conv = this.get(entry.c);
    if (!conv) {
      const created = fromQueue(entry);
      this.add(created);
      if (announce) this.emit({ type: "patient_arrived", conv: created });
      return;
    }
    if (conv.status.value !== "left" && conv.status.value !== "ended") conv.status.value = entry.status;
    // The room announces a new session in the queue entry before its own frame: either one starts it here, once.
    if (entry.session) this.sessionStarted(conv, entry.session);
  }

  sessionStarted(conv: StaffConversation, session: SessionInfo): void {
    if (conv.session.value?.id === session.id) return;
    conv.kind.value = "session";
    conv.session.value = session;
    this.emit({ type: "session_started", conv });
  }

  patientLeft(conv: StaffConversation): void {
    if (conv.status.value === "left" || conv.status.value === "ended") return;
    conv.status.value = "left";
    conv.pending.value = [];
    this.emit({ type: "patient_left", conv });
  }

  /** A staff conversation's description arrived: new, changed, left or deleted. `me` is this page's person. */
  describe(meta: ConversationMeta, me: string | undefined): void {
    let conv = this.get(meta.c);
    if (meta.deleted) {
      this.deletedGroups.set(meta.c, meta);
      if (!conv) return;
      conv.status.value = "deleted";
      this.drop(meta.c);
      this.emit({ type: "group_deleted", conv });
      return;
    }
    const isNew = !conv;
    if (!conv) conv = new StaffConversation(meta.c);
    if (conv.meta.value && conv.meta.value.ver > meta.ver) return;
    conv.kind.value = meta.kind;
    conv.meta.value = meta;
    conv.status.value = meta.members.some((m) => m.id === me) ? "active" : "left";
    if (isNew) {
      this.add(conv);
      this.emit({ type: "conversation_added", conv });
    }
  }
}
