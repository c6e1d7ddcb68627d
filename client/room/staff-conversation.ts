import { computed, signal } from "@preact/signals-core";
import type { AccessCode, ConversationMeta, QueueEntry } from "../../protocol/wire";
import { Conversation } from "./conversation";

/**
 * A conversation as a staff page holds it: besides what every page keeps,
 * its patient or its description, this person's unread count and settings,
 * who else has it open and what has been downloaded.
 */
export class StaffConversation extends Conversation {
  /** Patients' conversations: the patient. */
  readonly patient = signal<Omit<QueueEntry, "status" | "session"> | null>(null);
  /** Staff conversations: the room's signed description. */
  readonly meta = signal<ConversationMeta | null>(null);
  readonly unread = signal(0);
  /** Staff conversations: this person's settings. */
  readonly muted = signal(false);
  readonly archived = signal(false);
  /** Staff members whose chat box shows this conversation. */
  readonly viewers = signal<string[]>([]);
  /** Everything up to here is in a downloaded chat-history.txt. */
  readonly downloadedSeq = signal(0);
  /** Hosts' pages: the session's access code now. */
  readonly code = signal<AccessCode | null>(null);
  readonly undownloaded = computed(() => this.messages.value.some((m) => m.seq > this.downloadedSeq.value) || this.files.value.some((f) => Number.isFinite(f.seq) && f.seq > this.downloadedSeq.value));

  get staffOnly(): boolean {
    const kind = this.kind.value;
    return kind === "direct" || kind === "group";
  }

  /** What was erased needs no download any more. */
  override eraseUpTo(upto: number, mine = false): boolean {
    const erased = super.eraseUpTo(upto, mine);
    this.downloadedSeq.value = Math.max(this.downloadedSeq.value, upto);
    return erased;
  }
}

/** A patient's conversation as the queue describes it. */
export function fromQueue(entry: QueueEntry): StaffConversation {
  const conv = new StaffConversation(entry.c);
  conv.kind.value = entry.session ? "session" : "waiting";
  conv.patient.value = { c: entry.c, id: entry.id, name: entry.name, checkedInAt: entry.checkedInAt };
  conv.status.value = entry.status;
  conv.session.value = entry.session ?? null;
  conv.event(entry.checkedInAt, entry.session?.scheduled ? `${entry.name} joined the scheduled text-only session` : `${entry.name} checked in`);
  return conv;
}
