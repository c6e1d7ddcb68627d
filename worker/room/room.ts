import { CLOSE, HEARTBEAT, LIMITS, type ClientMessage, type ClientMessageOf, type QueueEntry } from "../../protocol/wire";
import { randomId } from "../ids";
import { AccessCodes, noDirectory, type DirectoryPort } from "./access-codes";
import { Sequencer, systemClock, type Clock } from "./clock";
import { commands as defaultCommands } from "./commands";
import { setView } from "./commands/erase";
import { admitGuest, presenceChanged, type GuestAdmission } from "./commands/participants";
import { admit, removePatient, updateEntry } from "./commands/patients";
import { staffEntry } from "./commands/staff-chat";
import type { AuditEvent, Command, Commands, RoomContext } from "./context";
import { Conversations } from "./conversations";
import { Fanout } from "./fanout";
import { Files, type DownloadResult } from "./files/files";
import type { BYTE_BUDGET } from "./files/allowance";
import { plainHasher, type Hasher, type Transfer } from "./files/relay";
import { Heartbeat } from "./heartbeat";
import { People, type Identity, type Person } from "./people";
import { Queue, type AdmitRefusal } from "./queue";
import { Recovery } from "./recovery";
import { Signatures, type Sign } from "./signatures";
import { Socket, type Peer, type SocketHost } from "./socket";

export type { DirectoryPort } from "./access-codes";
export type { GuestAdmission } from "./commands/participants";
export type { Identity } from "./people";
export type { Peer } from "./socket";

export interface RoomOptions {
  name: string;
  /**
   * Signs what pages hand back after a reset (an HMAC under the worker's
   * secret), so that the room takes back only what it issued.
   */
  sign: Sign;
  /** How long someone whose pages all dropped keeps their place. */
  graceMs: number;
  /** Most patients in the queue at once. */
  capacity: number;
  clock?: Clock;
  epoch?: string;
  /** Check-ins one client address may make at once, and per minute after that. */
  checkInsPerMinute?: number;
  /** A socket silent this long is closed as dead; 0 turns heartbeats off. */
  deadAfterMs?: number;
  /** Count sequence numbers from here instead of from the clock (tests). */
  seqBase?: number;
  audit?: (event: AuditEvent) => void;
  /** Replaces some of the room's commands (tests inject failures). */
  commands?: Partial<Commands>;
  /** Where sessions' access codes are registered; without one, no code can be made. */
  directory?: DirectoryPort;
  /** An incremental SHA-256 for the files passing through (the Durable Object gives node:crypto's). */
  hash?: () => Hasher;
  /** Chunk bytes a person may be asked for, at once and per second (tests make it small). */
  fileBudget?: typeof BYTE_BUDGET;
}

export type AdmitResult = { ok: true; id: string; c: string; checkedInAt: number } | { ok: false; reason: AdmitRefusal };

/** People whose grace period ended, handled per timer turn at most, so a mass departure is spread out. */
const EXPIRIES_PER_TURN = 200;

/**
 * A waiting room: the composition of its parts. The queue, the people and
 * their pages, the conversations, heartbeats, fan-out and recovery each own
 * their state; commands (one file per concern) act on them. Plain
 * TypeScript with no runtime dependency, so it is tested without workerd;
 * the Durable Object only wires sockets to it.
 */
export class Room implements SocketHost {
  readonly name: string;
  readonly epoch: string;
  private readonly clock: Clock;
  private readonly graceMs: number;
  private readonly people = new People();
  private readonly queue: Queue;
  private readonly conversations = new Conversations();
  private readonly heartbeat: Heartbeat;
  private readonly recovery: Recovery;
  private readonly ctx: RoomContext;
  private readonly commands: Commands;
  /** Staff sign-ins that were ended, until their token would have expired anyway. */
  private readonly signedOut = new Map<string, number>();

  constructor(options: RoomOptions) {
    this.name = options.name;
    this.epoch = options.epoch ?? crypto.randomUUID();
    this.clock = options.clock ?? systemClock;
    this.graceMs = options.graceMs;
    const perMinute = options.checkInsPerMinute ?? 10;
    this.queue = new Queue(options.capacity, perMinute);
    const audit = options.audit;
    const room = this.name;
    const clock = this.clock;
    const sigs = new Signatures(room, options.sign);
    const codes = new AccessCodes({
      room,
      directory: options.directory ?? noDirectory,
      sigs,
      people: this.people,
      now: () => clock.now(),
      inSession: (conv) => this.conversations.get(conv.id) === conv && conv.kind === "session",
    });
    this.ctx = {
      name: room,
      epoch: this.epoch,
      graceMs: this.graceMs,
      now: () => clock.now(),
      seq: new Sequencer(clock, options.seqBase),
      sigs,
      people: this.people,
      queue: this.queue,
      conversations: this.conversations,
      fanout: new Fanout(this.people),
      startedAt: clock.now(),
      codes,
      files: new Files(options.hash ?? plainHasher, options.fileBudget),
      audit: (event, who) => audit?.({ event, room, participant: who.id, role: who.role }),
    };
    this.recovery = new Recovery(this.ctx);
    this.commands = { ...defaultCommands, seed: (_ctx, socket, msg) => this.recovery.seed(socket, msg), ...options.commands };
    this.heartbeat = new Heartbeat({
      clock,
      deadAfterMs: options.deadAfterMs ?? HEARTBEAT.deadAfterMs,
      chores: [(now) => this.expire(now), (now) => codes.chore(now), (now) => this.ctx.files.sweep(this.ctx, now)],
    });
  }

  get patientCount(): number {
    return this.queue.size;
  }

  /** A snapshot of the queue, oldest check-in first. */
  queueSnapshot(): QueueEntry[] {
    return this.queue.snapshot();
  }

  now(): number {
    return this.clock.now();
  }

  // ---- from the worker (native RPC through the Durable Object) --------------

  /** A new check-in from `address`: limited per address, then admitted with fresh ids. */
  checkIn(name: string, address: string, session?: { id: string }): AdmitResult {
    if (!this.queue.takeCheckIn(address, this.now())) return { ok: false, reason: "too_many" };
    const who = { id: randomId(), c: randomId(), name, checkedInAt: this.now() };
    const result = admit(this.ctx, { ...who, ...(session ? { session: { id: session.id, startedAt: who.checkedInAt, scheduled: true as const } } : {}) }, true);
    this.heartbeat.wake();
    return result.ok ? { ok: true, ...who } : result;
  }

  /** Puts a patient whose token the worker verified in the queue (re-admission, tests). */
  admit(identity: Identity): boolean {
    const result = admit(this.ctx, {
      id: identity.id,
      name: identity.name,
      c: identity.c ?? identity.id,
      checkedInAt: identity.checkedInAt ?? this.now(),
      ...(identity.session ? { session: identity.session } : {}),
    });
    this.heartbeat.wake();
    return result.ok;
  }

  /**
   * Someone typed the access code of session `c` on the join page (the
   * directory found it is this room's): a guest, if the room still holds
   * that code for a live session.
   */
  admitGuest(c: string, code: string, name: string): GuestAdmission {
    const result = admitGuest(this.ctx, c, code, name);
    if (result.ok) this.heartbeat.wake();
    return result;
  }

  /** Whether a staff sign-in was ended. */
  isSignedOut(login: string): boolean {
    return this.signedOut.has(login);
  }

  /** Ends a staff sign-in: its pages close and its token is refused until `until` (ms), when it would have expired. */
  signOut(login: string, until: number): void {
    const now = this.now();
    for (const [id, expires] of this.signedOut) if (expires < now) this.signedOut.delete(id);
    this.signedOut.set(login, until);
    for (const person of this.people.staff()) {
      for (const page of [...person.pages]) if (page.identity.login === login) page.drop(CLOSE.signedOut, "signed out");
    }
  }

  /** A socket whose identity the worker verified. */
  connect(peer: Peer, identity: Identity): Socket {
    const person = this.people.ensure(identity, this.now());
    const socket = new Socket(this, peer, this.kept(identity, person), person);
    person.sockets++;
    this.heartbeat.add(socket);
    // Pages are counted when they say hello; until then, sockets that have not.
    if (person.sockets - person.pages.size > LIMITS.pagesPerPerson) socket.drop(CLOSE.tooManyPages, "too many pages");
    return socket;
  }

  /**
   * The identity as its socket keeps it. The worker's copy came over native
   * RPC with strings of its own; where they say what the room already holds
   * (the person's id and name, the conversation's id), the room's serve, so
   * each is kept once.
   */
  private kept(identity: Identity, person: Person): Identity {
    const c = identity.c === undefined ? undefined : (this.conversations.get(identity.c)?.id ?? identity.c);
    return { ...identity, id: person.id, name: identity.name === person.name ? person.name : identity.name, ...(c === undefined ? {} : { c }) };
  }

  /** A recipient's download of file `id` (started with `link`, used once): a stream fed chunk by chunk from the sender's page, or why not. */
  download(identity: Pick<Identity, "id">, id: string, link: string): DownloadResult {
    return this.ctx.files.download(this.ctx, identity, id, link);
  }

  /** The transfer `t` whose sender is opening its upload socket, if it is theirs and waits for one. */
  uploadFor(identity: Pick<Identity, "id">, t: string): Transfer | undefined {
    return this.ctx.files.uploadFor(identity.id, t);
  }

  /** Offers, moving transfers and the file bytes the room holds (tests, measurements). */
  fileStats() {
    return this.ctx.files.stats();
  }

  // ---- from sockets ---------------------------------------------------------

  hello(socket: Socket, msg: ClientMessageOf<"hello">): void {
    const { login } = socket.identity;
    if (login && this.signedOut.has(login)) return socket.drop(CLOSE.signedOut, "signed out");
    // A page keeps one socket: when it resumes, the one it had before is dead,
    // even if its close never reached the room, and must not count against it.
    const { person } = socket;
    const page = msg.resume ? this.ctx.sigs.readPass(person.id, msg.resume.pass)?.page : undefined;
    const replaced = page ? [...person.pages].filter((other) => other.page === page) : [];
    if (person.pages.size - replaced.length >= LIMITS.pagesPerPerson) return socket.drop(CLOSE.tooManyPages, "too many pages");
    if (!this.recovery.join(socket, msg)) return;
    this.ctx.files.joined(socket);
    this.heartbeat.greeted(socket);
    for (const other of replaced) other.drop(CLOSE.silent, "replaced");
  }

  handle(socket: Socket, msg: ClientMessage): void {
    (this.commands[msg.type] as Command<typeof msg.type>)(this.ctx, socket, msg);
  }

  closed(socket: Socket): void {
    const { person } = socket;
    this.heartbeat.remove(socket);
    person.sockets--;
    if (!socket.ready) {
      // Never said hello: if it was all this person had, they still get their grace period.
      if (person.pages.size === 0 && this.people.leaveAt(person) === 0 && this.people.get(person.id) === person) this.people.startGrace(person, this.now(), this.graceMs);
      return;
    }
    if (socket.view) setView(this.ctx, socket, null);
    this.ctx.files.pageClosed(this.ctx, socket);
    if (!this.people.departed(person, socket, this.now(), this.graceMs)) return;
    this.heartbeat.wake();
    presenceChanged(this.ctx, person, this.conversations.get(socket.identity.c ?? ""));
    if (person.staff) return this.staffAway(person);
    const entry = this.queue.get(person.id);
    if (entry) updateEntry(this.ctx, entry, { status: "away" });
  }

  private staffAway(person: Person): void {
    const { ctx } = this;
    person.seenUpto = ctx.seq.seq;
    ctx.fanout.toStaff({ type: "staff_member", member: staffEntry(person) });
    if (ctx.people.staffOnline) return;
    const offline = JSON.stringify({ type: "staff_online", online: false });
    for (const conv of ctx.conversations.patientConversations()) for (const page of ctx.fanout.outsidePages(conv)) page.sendRaw(offline);
  }

  /** People whose grace period ended leave, a bounded number per timer turn. */
  private expire(now: number): boolean {
    const gone = this.people.expire(now, EXPIRIES_PER_TURN);
    for (const person of gone) {
      // A guest stays on the session's list: they may come back while it lasts.
      if (person.role === "guest") continue;
      if (!person.staff) {
        removePatient(this.ctx, person.id, { code: CLOSE.left, forGood: false, announce: true });
        continue;
      }
      this.ctx.fanout.toStaff({ type: "staff_gone", id: person.id });
      // A staff conversation lives while at least one member is signed in.
      for (const conv of [...this.conversations.staffConversationsOf(person.id)]) {
        if (conv.memberIds().every((id) => !this.people.get(id))) this.conversations.drop(conv);
      }
    }
    return this.people.leavingCount > 0;
  }

  /** Stops the room's timer (tests; the Durable Object simply goes away). */
  dispose(): void {
    this.heartbeat.dispose();
  }
}
