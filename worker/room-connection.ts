import {
  CLOSE,
  HEARTBEAT,
  LIMITS,
  PROTOCOL_VERSION,
  parseClientFrame,
  type ErrorCode,
  type ServerMessage,
} from "./protocol";
import type { TokenBucket } from "./rate-limit";
import type { Connection, Identity, Peer, Room } from "./room";

/** Seed frames a patient's socket may send: up to 10,000 messages of their conversation. */
const SEED_FRAMES_PER_PATIENT = 50;

/**
 * One socket in a room: bounds and parses every frame, holds it back until
 * the hello, and hands typed messages to the room.
 */
export class Conn implements Connection {
  ready = false;
  /** When the socket last sent anything; the room closes it when silent too long. */
  lastHeard: number;
  /** When the room pings this socket next: spread over the interval, so a big room is not pinged in one burst. */
  nextPing: number;
  private open = true;
  private seedFrames = 0;
  readonly room: Room;
  readonly peer: Peer;
  readonly identity: Identity;
  private readonly bucket: TokenBucket;

  constructor(room: Room, peer: Peer, identity: Identity, bucket: TokenBucket) {
    this.room = room;
    this.peer = peer;
    this.identity = identity;
    this.bucket = bucket;
    this.lastHeard = room.now();
    this.nextPing = this.lastHeard + HEARTBEAT.intervalMs * (0.5 + Math.random());
  }

  receive(data: unknown): void {
    if (!this.open) return;
    this.lastHeard = this.room.now();
    const size = typeof data === "string" ? byteLength(data) : data instanceof ArrayBuffer ? data.byteLength : 0;
    if (size > LIMITS.frameBytes) return this.drop(CLOSE.tooBig, "frame too large");
    const parsed = parseClientFrame(data);
    if (!this.allowed(parsed.ok && parsed.message.type === "seed")) {
      return this.error("rate_limited", "You are sending too fast. Please wait a moment.");
    }
    if (!parsed.ok) return this.send(parsed.error);
    const msg = parsed.message;
    if (!this.ready) {
      if (msg.type !== "hello") return this.error("hello_required", "Say hello first.");
      if (msg.v !== PROTOCOL_VERSION) {
        this.error("version", "This page is out of date. Please reload it.");
        return this.drop(CLOSE.version, "version");
      }
      return this.room.hello(this, msg.resume, msg.page);
    }
    this.room.handle(this, msg);
  }

  /**
   * The per-connection rate limit. After a restart a page hands the room its
   * copies at once (seed frames): a provider's may be one per patient in the
   * queue, so they are not limited; a patient's have a budget of their own.
   */
  private allowed(seed: boolean): boolean {
    if (!seed) return this.bucket.take(this.room.now());
    return this.identity.role === "provider" || this.seedFrames++ < SEED_FRAMES_PER_PATIENT;
  }

  closed(): void {
    if (!this.open) return;
    this.open = false;
    this.room.forget(this);
    if (this.ready) this.room.disconnected(this);
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

  error(code: ErrorCode, message: string, cid?: string): void {
    this.send({ type: "error", code, message, ...(cid ? { cid } : {}) });
  }
}

function byteLength(s: string): number {
  // Every UTF-16 code unit is at most 3 UTF-8 bytes; only count when it matters.
  if (s.length * 3 <= LIMITS.frameBytes) return s.length;
  return new TextEncoder().encode(s).length;
}
