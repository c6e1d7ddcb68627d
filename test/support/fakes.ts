/**
 * Test doubles for the plain `Room`: a socket that records what the room
 * sends, and a clock whose timers run only when the test advances it.
 */
import { Hmac } from "../../protocol/sha256";
import { PROTOCOL_VERSION, type ChatMessage, type ServerMessage, type ServerMessageOf, type StaffRole } from "../../protocol/wire";
import { Directory, type DirectoryOptions } from "../../worker/directory/directory";
import { randomId } from "../../worker/ids";
import type { Clock } from "../../worker/room/clock";
import { Room, type DirectoryPort, type Identity, type Peer, type RoomOptions } from "../../worker/room/room";
import type { Socket } from "../../worker/room/socket";
import { copyOf } from "./copy";

export const GRACE_MS = 60_000;
export const EPOCH = "epoch-test";

/** Manual time: `advance` runs due timers in order, nothing runs by itself. */
export class FakeClock implements Clock {
  private t: number;
  private nextId = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, fn });
    return () => this.timers.delete(id);
  }

  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = end;
  }
}

/** A socket as the room sees it. Like a real one, it refuses sends once closed. */
export class FakePeer implements Peer {
  readonly raw: string[] = [];
  closedWith?: { code: number; reason: string };
  onClose?: () => void;

  send(data: string): void {
    if (this.closedWith) throw new Error("WebSocket is closed");
    this.raw.push(data);
  }

  close(code: number, reason: string): void {
    if (this.closedWith) return;
    this.closedWith = { code, reason };
    // The runtime reports the close back to the room, as the Durable Object does.
    this.onClose?.();
  }
}

/** One browser page: a socket into the room plus what it has received. */
export class Client {
  readonly peer = new FakePeer();
  readonly socket: Socket;
  readonly identity: Identity;

  constructor(room: Room, identity: Identity) {
    this.identity = identity;
    this.socket = room.connect(this.peer, identity);
    this.peer.onClose = () => this.socket.closed();
  }

  get id(): string {
    return this.identity.id;
  }

  /** The patient's conversation id (patients and guests). */
  get c(): string {
    return this.identity.c!;
  }

  /** Every frame received so far, parsed. */
  get frames(): ServerMessage[] {
    return this.peer.raw.map((f) => JSON.parse(f) as ServerMessage);
  }

  of<T extends ServerMessage["type"]>(type: T): ServerMessageOf<T>[] {
    return this.frames.filter((f): f is ServerMessageOf<T> => f.type === type);
  }

  last<T extends ServerMessage["type"]>(type: T): ServerMessageOf<T> | undefined {
    return this.of(type).at(-1);
  }

  /** Chat texts received, in order (a staff page's one-frame broadcasts included). */
  texts(): string[] {
    return this.frames.flatMap((f) => (f.type === "msg" || f.type === "broadcast" ? [f.text] : []));
  }

  /** This page's copy of one conversation, kept as the client keeps it; `held` is what it held before this socket. */
  copy(c = this.c, held: readonly ChatMessage[] = []): ChatMessage[] {
    return copyOf(this.frames, c, held);
  }

  /** Forgets what was received so far, so a test can look at what comes next. */
  clear(): void {
    this.peer.raw.length = 0;
  }

  /** Sends a frame as JSON text, as a browser would. */
  send(frame: object): void {
    this.socket.receive(JSON.stringify(frame));
  }

  /** Says hello as a new page load (`page` as its page id), or resuming with `resume`. */
  hello(opts: { page?: string; resume?: { pass: string; epoch: string; n: number } } = {}): this {
    this.send({ type: "hello", v: PROTOCOL_VERSION, ...opts });
    return this;
  }

  /** What this page would resume with: its pass, the epoch it knew and the last arrival it got. */
  resumeState(): { pass: string; epoch: string; n: number } {
    const welcome = this.last("welcome");
    if (!welcome) throw new Error(`${this.identity.name}'s page was never welcomed`);
    const n = Math.max(0, ...this.frames.flatMap((f) => (f.type === "msg" || f.type === "broadcast" ? [f.n] : [])));
    return { pass: welcome.pass, epoch: welcome.epoch, n };
  }

  /** The network dropped the socket. */
  drop(): void {
    this.socket.closed();
  }
}

/** Lets promises settle (the directory answers a room asynchronously, as a Durable Object does). */
export const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The directory every room shares, in memory, reaching `room()` as the
 * Durable Objects reach each other: every answer comes a turn later.
 */
export function localDirectory(room: () => Room, clock: Clock, options: Partial<DirectoryOptions> = {}) {
  const make = () => new Directory({ now: () => clock.now(), rooms: { admitGuest: async (_room, c, code, name) => room().admitGuest(c, code, name) }, ...options });
  let directory = make();
  const port: DirectoryPort = {
    issue: async (r, c, until) => directory.issue(r, c, until),
    renew: async (r, codes) => directory.renew(r, codes),
    withdraw: async (r, codes) => directory.withdraw(r, codes),
  };
  return {
    get directory() {
      return directory;
    },
    port,
    /** The directory loses its memory (evicted, or a deploy). */
    reset() {
      directory = make();
    },
  };
}

/** Signs as the worker does, with a test secret. */
const testKey = new Hmac("unit-test-secret");
export const sign = (data: string) => testKey.signText(data);

/**
 * A room with a manual clock. It numbers messages from 1 (seqBase 0), and
 * heartbeats are off unless a test turns them on: these pages never ping.
 */
export function setup(options: Partial<RoomOptions> = {}) {
  const clock = new FakeClock();
  let room: Room;
  const codes = localDirectory(() => room, clock);
  const roomOptions: RoomOptions = { name: "clinic", graceMs: GRACE_MS, capacity: 50, epoch: EPOCH, clock, sign, seqBase: 0, deadAfterMs: 0, checkInsPerMinute: 1000, directory: codes.port, ...options };
  room = new Room(roomOptions);
  let resets = 0;
  let logins = 0;
  return {
    /** The room now: after `reset`, the new instance. */
    get room() {
      return room;
    },
    clock,
    /** The directory of access codes this room registers its codes in (a new one after `resetDirectory`). */
    get directory() {
      return codes.directory;
    },
    /** The directory's memory is lost too (a deploy restarts every Durable Object). */
    resetDirectory(): void {
      codes.reset();
    },
    /**
     * The room's memory is lost (a deploy, an eviction) `after` ms from now:
     * a new instance with a new epoch, numbering from the clock as in
     * production. Sockets into the old one are gone; pages must reconnect.
     */
    reset(after = 5_000): Room {
      clock.advance(after);
      room.dispose();
      room = new Room({ ...roomOptions, epoch: `${EPOCH}-after-reset-${++resets}`, seqBase: undefined });
      return room;
    },
    /** A patient's identity as a cookie would carry it, checked in at `checkedInAt`, not yet in the room. */
    patientIdentity(name: string, checkedInAt = clock.now()): Identity {
      return { role: "patient", id: randomId(), name, c: randomId(), checkedInAt };
    },
    /** Checks a patient in as the check-in route does; the identity their cookie carries. */
    checkIn(name: string): Identity {
      const admitted = room.checkIn(name, "test");
      if (!admitted.ok) throw new Error(`check-in refused: ${admitted.reason}`);
      return { role: "patient", id: admitted.id, name, c: admitted.c, checkedInAt: admitted.checkedInAt };
    },
    /** Checks a patient in and opens their page. */
    patient(name: string): Client {
      return new Client(room, this.checkIn(name)).hello();
    },
    /** A staff member's identity (one sign-in); `host` unless `role` says otherwise. */
    staffIdentity(name = "Dr. Rivera", role: StaffRole = "host"): Identity {
      return { role, id: `staff-${name.toLowerCase().replace(/\W+/g, "-")}-000000`, name, login: `login-${++logins}-0123456789` };
    },
    /** Opens a staff page (a fresh page load). */
    staff(name = "Dr. Rivera", role: StaffRole = "host"): Client {
      return new Client(room, this.staffIdentity(name, role)).hello();
    },
    /** The commonest staff page: Dr. Rivera, a host. */
    provider(name = "Dr. Rivera"): Client {
      return this.staff(name, "host");
    },
    /** A new page (or a reconnected socket) for someone already in the room: resuming when `resume` is given. */
    reopen(who: Client, resume?: { pass: string; epoch: string; n: number }): Client {
      return new Client(room, who.identity).hello(resume ? { resume } : {});
    },
    /** The same page reconnecting after a blip: it resumes from what it got. */
    resume(who: Client): Client {
      return new Client(room, who.identity).hello({ resume: who.resumeState() });
    },
    /** A host asks for a new access code for session `c`; the code, once the directory answered. */
    async code(host: Client, c: string): Promise<string> {
      host.send({ type: "new_code", c });
      await settled();
      const code = host.of("access_code").filter((f) => f.c === c).at(-1)?.code?.code;
      if (!code) throw new Error(`no access code for ${c}: ${JSON.stringify(host.of("error"))}`);
      return code;
    },
    /** Someone types `code` and their name on the join page (from `address`); the identity their guest cookie carries. */
    async joinIdentity(code: string, name: string, address = "203.0.113.9"): Promise<Identity> {
      const result = await codes.directory.redeem(code, name, address);
      if (!result.ok) throw new Error(`join refused: ${result.reason}`);
      return { role: "guest", id: result.guest.id, name, c: result.guest.c };
    },
    /** A guest joins by `code` and opens their page. */
    async guest(code: string, name: string): Promise<Client> {
      return new Client(room, await this.joinIdentity(code, name)).hello();
    },
  };
}

/** The commonest start: a provider page open and Ana Lima waiting, both connected. */
export function waitingRoom(options: Partial<RoomOptions> = {}) {
  const t = setup(options);
  return { t, provider: t.provider(), ana: t.patient("Ana Lima") };
}
