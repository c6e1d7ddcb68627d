import { batch, signal } from "@preact/signals-core";
import { TYPING } from "../../protocol/constants";
import type { ChatMessage, ClientMessage, ClientMessageOf, Member, Seed, ServerMessage, ServerMessageOf, StaffEntry } from "../../protocol/wire";
import { newClientId } from "../lib/ids";
import { ConversationList } from "./conversation-list";
import { RoomFiles } from "./files";
import { ownSeeds, staffSeeds } from "./hand-back";
import { Epoch } from "./replica";
import type { RoomEvent } from "./room-events";
import { StaffConversation } from "./staff-conversation";

export type { RoomEvent } from "./room-events";

export interface RoomClientOptions {
  /** Sends a frame; false when not connected (the caller keeps the message pending). */
  send(msg: ClientMessage): boolean;
}

/**
 * A page's side of a room, without the DOM: turns the room's frames into
 * state (signals) and events, keeps this page's copies (the browsers are
 * the replicas), resumes after a blip and hands the copies back after a
 * reset. The dashboard runs it, and the fault simulation runs it for every
 * kind of page; the patient's page has its own, smaller `PatientClient`.
 */
export class RoomClient {
  readonly self = signal<Member | null>(null);
  private readonly list = new ConversationList((event) => this.emit(event));
  readonly conversations = this.list.all;
  /** Staff pages: colleagues signed in to the room. */
  readonly colleagues = signal<StaffEntry[]>([]);
  /** Patients: whether any staff member is online. */
  readonly staffOnline = signal(false);
  /** Patients: their conversation. */
  readonly mine = signal<StaffConversation | null>(null);
  /** This page load; the room tells a lost first socket from a reload by it. */
  readonly page = newClientId();
  /** Files offered in this page's conversations, and this page's own offers. */
  readonly files = new RoomFiles<StaffConversation>({
    get: (c) => this.get(c),
    conversations: () => this.conversations.value.values(),
    self: () => this.self.value,
    send: (msg) => this.out(msg),
  });
  private readonly epoch = new Epoch();
  private pass?: string;
  /** The last arrival number received from this room instance. */
  private lastN = 0;
  /** Staff: messages numbered up to here were shown to this person's earlier pages: not news here. */
  private seen = 0;
  private readonly listeners = new Set<(event: RoomEvent) => void>();
  private readonly out: (msg: ClientMessage) => boolean;
  /** When this page last said its person was typing, per conversation. */
  private readonly typed = new Map<string, number>();

  constructor(options: RoomClientOptions) {
    this.out = options.send;
  }

  on(listener: (event: RoomEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: RoomEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  get isStaff(): boolean {
    const role = this.self.value?.role;
    return role === "host" || role === "staff";
  }

  get(c: string): StaffConversation | undefined {
    return this.list.get(c);
  }

  /** Something of ours is on its way, or the copies are being handed back. */
  get busy(): boolean {
    return this.epoch.seeding || [...this.conversations.value.values()].some((c) => c.pending.value.length > 0);
  }

  /** What to say on (re)connecting: fresh before the first welcome, resuming after. */
  hello(): ClientMessageOf<"hello"> {
    return this.epoch.hello(this.page, this.pass, this.lastN);
  }

  receive(msg: ServerMessage): void {
    batch(() => this.handle(msg));
  }

  private handle(msg: ServerMessage): void {
    switch (msg.type) {
      case "welcome":
        return this.welcome(msg);
      case "pong":
        return this.epoch.pong();
      case "ack":
        return this.get(msg.c)?.settle(msg.cid);
      case "resync":
        this.lastN = 0;
        for (const conv of this.conversations.value.values()) conv.resync();
        return;
      case "queue": {
        // While handing back, the room does not know everyone yet; it tells us who left.
        const present = new Set(msg.patients.map((p) => p.c));
        for (const entry of msg.patients) this.list.upsertPatient(entry, false);
        if (!this.epoch.seeding) for (const conv of this.conversations.value.values()) if (conv.patient.value && !present.has(conv.id)) this.list.patientLeft(conv);
        return;
      }
      case "patient":
        return this.list.upsertPatient(msg.patient, true);
      case "patient_left": {
        const conv = this.get(msg.c);
        return conv && this.list.patientLeft(conv);
      }
      case "staff_list":
        this.colleagues.value = msg.members;
        return;
      case "staff_member":
        this.colleagues.value = [...this.colleagues.value.filter((m) => m.id !== msg.member.id), msg.member];
        return;
      case "staff_gone":
        this.colleagues.value = this.colleagues.value.filter((m) => m.id !== msg.id);
        return;
      case "viewers": {
        const conv = this.get(msg.c);
        if (conv) conv.viewers.value = msg.staff;
        return;
      }
      case "conversation": {
        const { type: _, ...meta } = msg;
        return this.list.describe(meta, this.self.value?.id);
      }
      case "member_left": {
        const conv = this.get(msg.c);
        if (conv) this.emit({ type: "member_left", conv, name: msg.name });
        return;
      }
      case "prefs": {
        const conv = this.get(msg.c);
        if (!conv) return;
        conv.muted.value = msg.muted;
        conv.archived.value = msg.archived;
        return;
      }
      case "msg":
        return this.message(msg);
      case "broadcast": {
        const { type: _, ...fields } = msg;
        for (const conv of this.conversations.value.values()) {
          if (conv.kind.value === "waiting" && conv.status.value !== "left") this.message({ ...fields, type: "msg", c: conv.id });
        }
        return;
      }
      case "erased": {
        const conv = this.get(msg.c);
        if (conv && conv.eraseUpTo(msg.upto, msg.mine === true)) this.emit({ type: "erased", conv, mine: msg.mine === true });
        return;
      }
      case "staff_online":
        this.staffOnline.value = msg.online;
        return;
      case "session_started": {
        const conv = this.get(msg.c);
        return conv && this.list.sessionStarted(conv, msg.session);
      }
      case "session_ended": {
        const conv = this.get(msg.c);
        if (!conv) return;
        // Ending erases the session's messages for everyone, this page included.
        conv.eraseUpTo(conv.top);
        conv.pending.value = [];
        conv.unread.value = 0;
        conv.status.value = "ended";
        conv.session.value = { ...(conv.session.value ?? { id: msg.id, startedAt: msg.endedAt }), endedAt: msg.endedAt };
        this.emit({ type: "session_ended", conv });
        return;
      }
      case "downloaded": {
        const conv = this.get(msg.c);
        if (conv) this.emit({ type: "downloaded", conv });
        return;
      }
      case "file":
      case "files":
      case "file_gone":
      case "file_waiting":
      case "upload":
      case "transfer":
        return this.files.receive(msg);
      case "error": {
        if (msg.cid && this.files.fail(msg.cid, msg.message)) return;
        const failed = msg.cid ? [...this.conversations.value.values()].some((conv) => conv.fail(msg.cid!, msg.message)) : false;
        if (!failed) this.emit({ type: "notice", text: msg.message });
        return;
      }
      case "deleted": {
        const { type: _, c, ...tombstone } = msg;
        const conv = this.get(c);
        if (!conv) return;
        // Our own message, deleted before its echo reached us (a resend after a restart): not pending any more.
        if (tombstone.from === this.self.value?.id) conv.settle(tombstone.cid);
        if (conv.bury(tombstone)) this.emit({ type: "deleted", conv, by: tombstone.by });
        return;
      }
      case "participants": {
        const { type: _, online, ...roster } = msg;
        const conv = this.get(roster.c);
        if (!conv) return;
        conv.setParticipants(roster, online, this.isStaff);
        this.emit({ type: "participants", conv });
        return;
      }
      case "typing":
        return this.get(msg.c)?.someoneTyping(msg.id, msg.name);
      case "access_code": {
        const conv = this.get(msg.c);
        if (conv) conv.code.value = msg.code;
        return;
      }
      case "ping":
        return;
    }
  }

  private welcome(msg: ServerMessageOf<"welcome">): void {
    // A new epoch means the room's memory was reset: hand it back our copies.
    const { reset, handBack } = this.epoch.welcome(msg.epoch);
    if (reset) this.lastN = 0;
    // The first welcome of this page load says what is already known.
    if (!this.pass) this.seen = msg.seen ?? 0;
    this.self.value = msg.self;
    this.pass = msg.pass;
    if (msg.c) {
      const conv = this.own(msg.c);
      this.staffOnline.value = msg.staffOnline === true;
      // After a reset the room learns of a session from a staff page's copy.
      if (msg.session || !reset) {
        conv.session.value = msg.session ?? null;
        conv.kind.value = msg.session ? "session" : "waiting";
      }
    }
    if (handBack) this.handBack();
    for (const conv of this.conversations.value.values()) {
      for (const p of conv.pending.value) if (!p.failed) this.out({ type: "send", c: conv.id, cid: p.cid, text: p.text });
    }
    this.files.welcome(reset);
    this.emit({ type: "welcome", reset, now: msg.now });
  }

  private message(msg: ChatMessage): void {
    this.lastN = Math.max(this.lastN, msg.n);
    const conv = this.get(msg.c);
    if (!conv || !conv.receive(msg) || msg.by === this.self.value?.id || msg.seq <= this.seen) return;
    conv.stoppedTyping(msg.by);
    this.emit({ type: "message", conv, msg });
  }

  /** Patients: their conversation, known from check-in before the first welcome, so nothing written early is lost. */
  own(c: string): StaffConversation {
    let conv = this.get(c);
    if (!conv) this.list.add((conv = new StaffConversation(c)));
    this.mine.value = conv;
    return conv;
  }

  /** Forgets a conversation on this page. */
  drop(c: string): void {
    this.list.drop(c);
  }

  /** Hands a reset room back every conversation this page holds, then a ping: its pong means all was taken. */
  private handBack(): void {
    for (const conv of this.conversations.value.values()) for (const frame of this.seedOf(conv)) this.out(frame);
    for (const meta of this.list.deletedGroups.values()) this.out({ type: "seed", c: meta.c, messages: [], meta });
    this.out({ type: "ping" });
  }

  private seedOf(conv: StaffConversation): Seed[] {
    if (this.isStaff) return staffSeeds(conv, this.self.value?.role);
    return conv === this.mine.value ? ownSeeds(conv) : [];
  }

  // ---- actions ---------------------------------------------------------------

  /** Sends a frame if connected. */
  send(msg: ClientMessage): boolean {
    return this.out(msg);
  }

  /** Says this person is typing in `c`: at most every few seconds, however fast they type. */
  typing(c: string): void {
    const now = Date.now();
    if (now - (this.typed.get(c) ?? -Infinity) < TYPING.sendEveryMs) return;
    if (this.out({ type: "typing", c })) this.typed.set(c, now);
  }

  /** Writes in a conversation; the message is pending until the room echoes or acks it. */
  write(c: string, text: string): string | null {
    const conv = this.get(c);
    if (!conv) return null;
    const cid = newClientId();
    // The message ends this person's typing notice on the other pages: the next keystroke starts a new one.
    this.typed.delete(c);
    conv.pending.value = [...conv.pending.value, { cid, text }];
    this.out({ type: "send", c, cid, text });
    return cid;
  }

  /**
   * Erases a conversation on this page and asks the room to erase it up to
   * what this page holds: for everyone, or for this person only when a
   * colleague has it open (the room decides and says so).
   */
  close(c: string): void {
    const conv = this.get(c);
    if (!conv) return;
    const upto = conv.top;
    const colleagueViewing = conv.viewers.value.some((id) => id !== this.self.value?.id);
    conv.eraseUpTo(upto, colleagueViewing);
    conv.pending.value = [];
    conv.unread.value = 0;
    if (conv.status.value === "left" || conv.status.value === "ended") this.drop(c);
    else this.out({ type: "close", c, upto });
  }
}
