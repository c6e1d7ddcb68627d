import { CLOSE, HEARTBEAT, PING_FRAME } from "../../protocol/wire";
import type { Clock } from "./clock";
import type { Socket } from "./socket";

/** A timer turn comes this often while the room has sockets or chores. */
export const TICK_MS = 250;
/** The most sockets one turn looks at, whatever the room's size. */
const MAX_PER_TURN = 1_000;

/** Work done a bounded piece per timer turn; returns whether more is waiting. */
export type Chore = (now: number) => boolean;

export interface HeartbeatOptions {
  clock: Clock;
  /** A socket silent this long is closed as dead; 0 turns heartbeats off. */
  deadAfterMs: number;
  /** Other bounded work to run on the same timer (people whose grace period ended). */
  chores?: Chore[];
}

/**
 * Heartbeats. Every open socket is pinged about every interval, a slice of
 * them each timer turn, so a big room is never pinged (nor answers) in one
 * burst; each turn also closes sockets that went silent and sockets that
 * did not say hello in time. The work per turn is bounded.
 */
export class Heartbeat {
  private readonly sockets = new Set<Socket>();
  /** Sockets still to say hello, oldest first, and when each opened (kept here: once greeted, a socket has no use for it). */
  private readonly greeting = new Map<Socket, number>();
  private cursor: Iterator<Socket> = this.sockets.values();
  /** Visits owed but not yet made, in socket-milliseconds (a visit is one interval's worth): a small room owes less than one visit per turn. */
  private owed = 0;
  /**
   * Sockets there were when this pass and the one before began. A pass goes
   * no slower than the one before it, so a socket that the last pass
   * visited early is not visited late in this one when many closed.
   */
  private passSizes = [0, 0];
  private stop?: () => void;
  private readonly opts: Required<HeartbeatOptions>;

  constructor(options: HeartbeatOptions) {
    this.opts = { chores: [], ...options };
  }

  get size(): number {
    return this.sockets.size;
  }

  add(socket: Socket): void {
    this.sockets.add(socket);
    this.greeting.set(socket, this.opts.clock.now());
    this.wake();
  }

  greeted(socket: Socket): void {
    this.greeting.delete(socket);
  }

  remove(socket: Socket): void {
    this.sockets.delete(socket);
    this.greeting.delete(socket);
  }

  /** Makes sure a turn is coming (after new sockets or chores). */
  wake(): void {
    if (!this.stop) this.stop = this.opts.clock.setTimeout(() => this.turn(), TICK_MS);
  }

  dispose(): void {
    this.stop?.();
    this.stop = undefined;
  }

  private turn(): void {
    this.stop = undefined;
    const now = this.opts.clock.now();
    let busy = false;
    for (const chore of this.opts.chores) busy = chore(now) || busy;
    this.closeUngreeted(now);
    if (this.opts.deadAfterMs > 0) this.sweep(now);
    if (busy || this.sockets.size > 0) this.wake();
  }

  private closeUngreeted(now: number): void {
    let n = 0;
    for (const [socket, openedAt] of this.greeting) {
      if (n++ >= MAX_PER_TURN || now - openedAt < HEARTBEAT.helloMs) break;
      this.greeting.delete(socket);
      socket.drop(CLOSE.policy, "no hello");
    }
  }

  /** One slice of the sockets: each is visited about once per interval. */
  private sweep(now: number): void {
    // Rounding each turn's share up would visit every socket of a small room
    // every turn or two; carrying the fraction keeps it to once per interval.
    const size = Math.max(this.sockets.size, ...this.passSizes);
    this.owed = Math.min(MAX_PER_TURN * HEARTBEAT.intervalMs, this.owed + size * TICK_MS);
    const slice = Math.floor(this.owed / HEARTBEAT.intervalMs);
    this.owed -= slice * HEARTBEAT.intervalMs;
    const cutoff = now - this.opts.deadAfterMs;
    for (let i = 0; i < slice; i++) {
      let next = this.cursor.next();
      if (next.done) {
        this.cursor = this.sockets.values();
        this.passSizes = [this.passSizes[1], this.sockets.size];
        next = this.cursor.next();
        if (next.done) return;
      }
      const socket = next.value;
      if (socket.lastHeard < cutoff) socket.drop(CLOSE.silent, "silent");
      else if (socket.ready) socket.sendRaw(PING_FRAME);
    }
  }
}
