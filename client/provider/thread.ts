import { computed, signal } from "@preact/signals";
import type { ChatMessage, PatientInfo } from "../../worker/protocol";

export type ThreadStatus = PatientInfo["status"] | "left";

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
  /** Everything up to here is in a downloaded chat-history.txt. */
  readonly downloadedSeq = signal(0);
  /** The last sequence number received: the resume cursor. */
  cursor = 0;
  readonly undownloaded = computed(() => this.messages.value.some((m) => m.seq > this.downloadedSeq.value));

  constructor(info: PatientInfo) {
    this.id = info.id;
    this.name = info.name;
    this.checkedInAt = info.checkedInAt;
    this.status.value = info.status;
  }

  /** Adds a message once, in order; false if it was already here. */
  receive(msg: ChatMessage): boolean {
    if (msg.seq <= this.cursor) return false;
    this.cursor = msg.seq;
    this.messages.value = [...this.messages.value, msg];
    if (msg.from === "provider") this.pending.value = this.pending.value.filter((p) => p.cid !== msg.cid);
    return true;
  }

  eraseUpTo(upto: number): void {
    this.messages.value = this.messages.value.filter((m) => m.seq > upto);
    this.downloadedSeq.value = Math.max(this.downloadedSeq.value, upto);
  }
}
