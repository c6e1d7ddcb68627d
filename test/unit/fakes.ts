/**
 * Test doubles for the plain `Room`: a socket that records what the room
 * sends, and a clock whose timers run only when the test advances it.
 */
import { createHmac } from "node:crypto";
import { PROTOCOL_VERSION, type ChatMessage, type ServerMessage, type ServerMessageOf } from "../../worker/protocol";
import { copyOf } from "./replica-copy";
import { Room, type Clock, type Connection, type Identity, type Peer, type RoomOptions } from "../../worker/room";

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
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
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
  readonly conn: Connection;
  readonly identity: Identity;

  constructor(room: Room, identity: Identity) {
    this.identity = identity;
    this.conn = room.connect(this.peer, identity);
    this.peer.onClose = () => this.conn.closed();
  }

  get id(): string {
    return this.identity.id;
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

  /** Chat texts received, in order. */
  texts(): string[] {
    return this.of("msg").map((m) => m.text);
  }

  /** This page's copy of one conversation, kept as the client keeps it; `held` is what it held before this socket. */
  copy(patient = this.id, held: readonly ChatMessage[] = []): ChatMessage[] {
    return copyOf(this.frames, patient, held);
  }

  /** Forgets what was received so far, so a test can look at what comes next. */
  clear(): void {
    this.peer.raw.length = 0;
  }

  /** Sends a frame as JSON text, as a browser would. */
  send(frame: object): void {
    this.conn.receive(JSON.stringify(frame));
  }

  hello(resume?: { epoch: string; cursors: Record<string, number> }): this {
    this.send({ type: "hello", v: PROTOCOL_VERSION, ...(resume ? { resume } : {}) });
    return this;
  }

  /** The network dropped the socket. */
  drop(): void {
    this.conn.closed();
  }
}

/** Signs as the worker does, with a test secret. */
export const sign = (data: string) => createHmac("sha256", "unit-test-secret").update(data).digest("base64url");

/**
 * A room with a manual clock. It numbers messages from 1 (seqBase 0), and
 * heartbeats are off unless a test turns them on: these pages never ping.
 */
export function setup(options: Partial<RoomOptions> = {}) {
  const clock = new FakeClock();
  const roomOptions: RoomOptions = { name: "clinic", graceMs: GRACE_MS, capacity: 50, epoch: EPOCH, clock, sign, seqBase: 0, deadAfterMs: 0, ...options };
  let room = new Room(roomOptions);
  let resets = 0;
  let next = 0;
  const patientIdentity = (name: string, checkedInAt = clock.now()): Identity => ({
    role: "patient",
    id: `patient-${++next}-0123456789abcdef`,
    name,
    checkedInAt,
  });
  return {
    /** The room now: after `reset`, the new instance. */
    get room() {
      return room;
    },
    clock,
    /**
     * The room's memory is lost (a deploy, an eviction) `after` ms from now:
     * a new instance with a new epoch, numbering from the clock as in
     * production. Sockets into the old one are gone; pages must reconnect.
     */
    reset(after = 5_000): Room {
      clock.advance(after);
      room = new Room({ ...roomOptions, epoch: `${EPOCH}-after-reset-${++resets}`, seqBase: undefined });
      return room;
    },
    patientIdentity,
    /** Checks a patient in and opens their page. */
    patient(name: string, checkedInAt?: number): Client {
      const identity = patientIdentity(name, checkedInAt);
      room.admit(identity);
      return new Client(room, identity).hello();
    },
    /** Opens a provider page: fresh, or resuming with cursors. */
    provider(name = "Dr. Rivera", resume?: Record<string, number>): Client {
      const client = new Client(room, { role: "provider", id: "provider", name });
      return client.hello(resume ? { epoch: room.epoch, cursors: resume } : undefined);
    },
    /** A new page (or a reconnected socket) for someone already in the room. */
    reopen(who: Client, resume?: Record<string, number>): Client {
      return new Client(room, who.identity).hello(resume ? { epoch: room.epoch, cursors: resume } : undefined);
    },
  };
}

/** The commonest start: a provider page open and Ana Lima waiting, both connected. */
export function waitingRoom(options: Partial<RoomOptions> = {}) {
  const t = setup(options);
  return { t, provider: t.provider(), ana: t.patient("Ana Lima") };
}
