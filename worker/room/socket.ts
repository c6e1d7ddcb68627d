import {
  CLOSE,
  LIMITS,
  PONG_FRAME,
  PROTOCOL_VERSION,
  parseClientFrame,
  type ClientMessage,
  type ClientMessageOf,
  type ErrorCode,
  type ServerMessage,
} from "../../protocol/wire";
import type { Identity, Person } from "./people";

/** The least a socket must do; the Durable Object adapts a WebSocket to it. */
export interface Peer {
  send(data: string): void;
  close(code: number, reason: string): void;
}

/** What a socket needs from the room it is in. */
export interface SocketHost {
  now(): number;
  hello(socket: Socket, msg: ClientMessageOf<"hello">): void;
  handle(socket: Socket, msg: ClientMessage): void;
  closed(socket: Socket): void;
}

const SEED_PREFIX = '{"type":"seed"';
const RATE_LIMITED = JSON.stringify({ type: "error", code: "rate_limited", message: "You are sending too fast. Please wait a moment." } satisfies ServerMessage);

/**
 * One socket in a room: bounds every frame, refuses what is over its
 * person's budget before parsing it, holds everything back until the
 * hello, and contains a failure: a frame whose handling throws closes this
 * socket only (1011), and the room goes on serving everyone else.
 */
export class Socket {
  readonly identity: Identity;
  readonly person: Person;
  private readonly peer: Peer;
  private readonly host: SocketHost;
  /** Said hello and was welcomed. */
  ready = false;
  private open = true;
  /** When the socket last sent anything; the room closes it when silent too long. */
  lastHeard: number;
  /** This page load's id, once it said hello. */
  page = "";
  /** Patients and guests: nothing at or below this seq is ever sent to this page. */
  floor = 0;
  /** Staff: the conversation in this page's chat box. */
  view: string | null = null;
  /** Staff: the page is hidden or idle. */
  away = false;
  /** Resumed across a reset with a valid pass: may hand back its copies (seed frames). */
  handingBack = false;

  constructor(host: SocketHost, peer: Peer, identity: Identity, person: Person) {
    this.host = host;
    this.peer = peer;
    this.identity = identity;
    this.person = person;
    this.lastHeard = host.now();
  }

  get isOpen(): boolean {
    return this.open;
  }

  receive(data: unknown): void {
    if (!this.open) return;
    const now = this.host.now();
    this.lastHeard = now;
    // A heartbeat answer: hearing it was the point, and it costs no parse.
    if (data === PONG_FRAME) return;
    const size = typeof data === "string" ? byteLength(data) : data instanceof ArrayBuffer ? data.byteLength : 0;
    if (size > LIMITS.frameBytes) return this.drop(CLOSE.tooBig, "frame too large");
    // Seed frames have a budget of their own: only a page resuming across a
    // reset may send them, a number of frames per person, and then a number
    // of messages once parsed.
    const seed = typeof data === "string" && data.startsWith(SEED_PREFIX);
    if (seed ? !(this.handingBack && this.person.takeSeedFrame()) : !this.person.frames.take(now)) {
      if (this.person.flooding(now)) return this.drop(CLOSE.policy, "flooding");
      return this.sendRaw(RATE_LIMITED);
    }
    const parsed = parseClientFrame(data);
    if (!parsed.ok) return this.send(parsed.error);
    const msg = parsed.message;
    if (seed !== (msg.type === "seed")) return this.error("bad_frame", "That frame is not a message this room understands.");
    try {
      if (this.ready) return this.host.handle(this, msg);
      if (msg.type !== "hello") return this.error("hello_required", "Say hello first.");
      if (msg.v !== PROTOCOL_VERSION) {
        this.error("version", "This page is out of date. Please reload it.");
        return this.drop(CLOSE.version, "version");
      }
      this.host.hello(this, msg);
    } catch {
      // Nothing of the frame is logged or echoed; the page reconnects and resumes.
      this.drop(CLOSE.failed, "failed");
    }
  }

  closed(): void {
    if (!this.open) return;
    this.open = false;
    this.host.closed(this);
  }

  /** Closes the socket from our side. */
  drop(code: number, reason: string): void {
    try {
      this.peer.close(code, reason);
    } catch {
      // Already gone.
    }
    this.closed();
  }

  send(msg: ServerMessage): void {
    this.sendRaw(JSON.stringify(msg));
  }

  sendRaw(frame: string): void {
    if (!this.open) return;
    try {
      this.peer.send(frame);
    } catch {
      // The socket died under us; its close event will clean up.
    }
  }

  error(code: ErrorCode, message: string, extra: { cid?: string; c?: string } = {}): void {
    this.send({ type: "error", code, message, ...extra });
  }
}

function byteLength(s: string): number {
  // Every UTF-16 code unit is at most 3 UTF-8 bytes; only count when it matters.
  if (s.length * 3 <= LIMITS.frameBytes) return s.length;
  return new TextEncoder().encode(s).length;
}
