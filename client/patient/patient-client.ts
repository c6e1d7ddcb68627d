import { batch, signal } from "@preact/signals-core";
import { TYPING } from "../../protocol/constants";
import type { FileServerMessage } from "../../protocol/files";
import type { ClientMessage, ClientMessageOf, Member, ServerMessage, ServerMessageOf } from "../../protocol/wire";
import { newClientId } from "../lib/ids";
import { Conversation } from "../room/conversation";
import type { RoomFiles, SharedFile } from "../room/files";
import { ownSeeds } from "../room/hand-back";
import { Epoch } from "../room/replica";

/** What happened, for the patient's page to turn into notices. */
export type PatientEvent =
  | { type: "welcome"; reset: boolean; now: number }
  | { type: "erased" | "session_started" | "session_ended" | "downloaded" }
  | { type: "notice"; text: string };

/** The file side's code, which the page loads with the rest of its file code. */
export interface FileCode {
  /** The code, if it has loaded. */
  loaded(): typeof RoomFiles | undefined;
  load(): Promise<unknown>;
}

/**
 * The patient's (or a session guest's) side of a room: their one
 * conversation, what is on its way, resume after a blip and the hand-back
 * after a reset. The staff dashboard's `RoomClient` does all this for many
 * conversations; this page needs only its own, so it loads only that. The
 * file side arrives with the file code, the first time a file is seen or
 * sent: until then file frames wait, in order.
 */
export class PatientClient {
  readonly self = signal<Member | null>(null);
  /** Whether any staff member is online. */
  readonly staffOnline = signal(false);
  /** Their conversation, known from check-in. */
  readonly mine = signal<Conversation | null>(null);
  /** This page load; the room tells a lost first socket from a reload by it. */
  readonly page = newClientId();
  /** The room asks this page to send one of its files. */
  onUpload?: (file: SharedFile, t: string) => void;
  private roomFiles?: RoomFiles;
  private waitingFiles?: FileServerMessage[];
  private readonly epoch = new Epoch();
  private pass?: string;
  /** The last arrival number received from this room instance. */
  private lastN = 0;
  /** When this page last said its person was typing. */
  private typedAt = -Infinity;
  private readonly out: (msg: ClientMessage) => boolean;
  private readonly listener: (event: PatientEvent) => void;
  private readonly fileCode?: FileCode;

  constructor(send: (msg: ClientMessage) => boolean, listener: (event: PatientEvent) => void = () => {}, fileCode?: FileCode) {
    this.out = send;
    this.listener = listener;
    this.fileCode = fileCode;
  }

  /** The file side, once the file code has loaded (file sharing only runs after that). */
  get files(): RoomFiles {
    const Files = this.fileCode!.loaded()!;
    return (this.roomFiles ??= new Files({
      get: (c) => this.get(c),
      conversations: () => (this.mine.value ? [this.mine.value] : []),
      self: () => this.self.value,
      send: this.out,
    }));
  }

  get(c: string): Conversation | undefined {
    const conv = this.mine.value;
    return conv?.id === c ? conv : undefined;
  }

  /** Their conversation, known from check-in before the first welcome, so nothing written early is lost. */
  own(c: string): Conversation {
    return this.get(c) ?? (this.mine.value = new Conversation(c));
  }

  /** Something of ours is on its way, or the copy is being handed back. */
  get busy(): boolean {
    return this.epoch.seeding || (this.mine.value?.pending.value.length ?? 0) > 0;
  }

  /** What to say on (re)connecting: fresh before the first welcome, resuming after. */
  hello(): ClientMessageOf<"hello"> {
    return this.epoch.hello(this.page, this.pass, this.lastN);
  }

  receive(msg: ServerMessage): void {
    batch(() => this.handle(msg));
  }

  private handle(msg: ServerMessage): void {
    const conv = "c" in msg && typeof msg.c === "string" ? this.get(msg.c) : undefined;
    switch (msg.type) {
      case "welcome":
        return this.welcome(msg);
      case "pong":
        return this.epoch.pong();
      case "ack":
        return conv?.settle(msg.cid);
      case "resync":
        this.lastN = 0;
        return this.mine.value?.resync();
      case "msg":
        this.lastN = Math.max(this.lastN, msg.n);
        if (conv?.receive(msg)) conv.stoppedTyping(msg.by);
        return;
      case "erased":
        if (conv?.eraseUpTo(msg.upto, msg.mine === true)) this.listener({ type: "erased" });
        return;
      case "staff_online":
        this.staffOnline.value = msg.online;
        return;
      case "session_started":
        if (!conv || conv.session.value?.id === msg.session.id) return;
        conv.kind.value = "session";
        conv.session.value = msg.session;
        return this.listener({ type: "session_started" });
      case "session_ended":
        if (!conv) return;
        // Ending erases the session's messages for everyone, this page included.
        conv.eraseUpTo(conv.top);
        conv.pending.value = [];
        conv.status.value = "ended";
        return this.listener({ type: "session_ended" });
      case "downloaded":
        return conv && this.listener({ type: "downloaded" });
      case "file":
      case "files":
      case "file_gone":
      case "file_waiting":
      case "upload":
      case "transfer":
        return this.fileFrame(msg);
      case "error":
        if (msg.cid && (this.roomFiles?.fail(msg.cid, msg.message) || this.mine.value?.fail(msg.cid, msg.message))) return;
        return this.listener({ type: "notice", text: msg.message });
      case "deleted": {
        const { type: _, c: __, ...tombstone } = msg;
        // Our own message, deleted before its echo reached us (a resend after a restart): not pending any more.
        if (tombstone.from === this.self.value?.id) conv?.settle(tombstone.cid);
        conv?.bury(tombstone);
        return;
      }
      case "participants": {
        const { type: _, online, ...roster } = msg;
        return conv?.setParticipants(roster, online, false);
      }
      case "typing":
        return conv?.someoneTyping(msg.id, msg.name);
    }
  }

  private welcome(msg: ServerMessageOf<"welcome">): void {
    // A new epoch means the room's memory was reset: hand it back our copy.
    const { reset, handBack } = this.epoch.welcome(msg.epoch);
    if (reset) this.lastN = 0;
    this.self.value = msg.self;
    this.pass = msg.pass;
    const conv = msg.c ? this.own(msg.c) : this.mine.value;
    if (msg.c) {
      this.staffOnline.value = msg.staffOnline === true;
      // After a reset the room learns of a session from a staff page's copy.
      if (msg.session || !reset) {
        conv!.session.value = msg.session ?? null;
        conv!.kind.value = msg.session ? "session" : "waiting";
      }
    }
    if (conv) {
      if (handBack) {
        for (const frame of ownSeeds(conv)) this.out(frame);
        this.out({ type: "ping" });
      }
      for (const p of conv.pending.value) if (!p.failed) this.out({ type: "send", c: conv.id, cid: p.cid, text: p.text });
    }
    this.roomFiles?.welcome(reset);
    this.listener({ type: "welcome", reset, now: msg.now });
  }

  /** File frames go to the file side; before its code has loaded they wait for it, in order. */
  private fileFrame(msg: FileServerMessage): void {
    if (!this.fileCode) return;
    if (this.fileCode.loaded()) return this.deliverFiles(msg);
    if (this.waitingFiles) return void this.waitingFiles.push(msg);
    this.waitingFiles = [msg];
    void this.fileCode.load().then(
      () => batch(() => this.waitingFiles?.splice(0).forEach((frame) => this.deliverFiles(frame))),
      () => (this.waitingFiles = undefined),
    );
  }

  private deliverFiles(msg: FileServerMessage): void {
    this.files.onUpload = this.onUpload;
    this.files.receive(msg);
  }

  // ---- actions ---------------------------------------------------------------

  /** Sends a frame if connected. */
  send(msg: ClientMessage): boolean {
    return this.out(msg);
  }

  /** Says this person is typing: at most every few seconds, however fast they type. */
  typing(c: string): void {
    const now = Date.now();
    if (now - this.typedAt >= TYPING.sendEveryMs && this.out({ type: "typing", c })) this.typedAt = now;
  }

  /** Writes in their conversation; the message is pending until the room echoes or acks it. */
  write(c: string, text: string): string | null {
    const conv = this.get(c);
    if (!conv) return null;
    const cid = newClientId();
    // The message ends this person's typing notice on the other pages: the next keystroke starts a new one.
    this.typedAt = -Infinity;
    conv.pending.value = [...conv.pending.value, { cid, text }];
    this.out({ type: "send", c, cid, text });
    return cid;
  }
}
