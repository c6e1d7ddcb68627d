/**
 * Matches the chat messages the load generator receives to what a phase is
 * waiting for. Senders and receivers live in this one process, so a latency
 * is two readings of one clock (`performance.now()`).
 */
export type Role = "provider" | "patient";

interface Wait {
  remaining: number;
  resolve(at: number): void;
}

export class Tracker {
  /** Error frames the servers sent, by code (e.g. `rate_limited`). */
  readonly errors: Record<string, number> = {};
  private readonly waits = new Map<string, Wait>();

  /** Called by every socket of the load generator for every chat message. */
  received(role: Role, cid: string, at: number): void {
    const key = `${role}:${cid}`;
    const wait = this.waits.get(key);
    if (!wait) return;
    if (--wait.remaining === 0) {
      this.waits.delete(key);
      wait.resolve(at);
    }
  }

  error(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
    if (this.errors[code] === 1) process.stderr.write(`  ! the server answered with an error frame: ${code}\n`);
  }

  /**
   * Resolves with the time the last of `count` sockets of `role` received the
   * message `cid`. Register before sending.
   */
  expect(role: Role, cid: string, count: number, timeoutMs: number): Promise<number> {
    const key = `${role}:${cid}`;
    return new Promise<number>((resolve, reject) => {
      const wait: Wait = {
        remaining: count,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      const timer = setTimeout(() => {
        this.waits.delete(key);
        reject(new Error(`timed out after ${timeoutMs} ms: ${wait.remaining} of ${count} ${role} sockets never got message ${cid}`));
      }, timeoutMs);
      this.waits.set(key, wait);
    });
  }
}

/**
 * The load generator's copy of the room's per-connection rate limit (burst
 * 30, 10 frames/s), with headroom, so that no server ever refuses a frame.
 * Every server gets the same pacing.
 */
export class Pacer {
  private tokens: number;
  private last = performance.now();
  private readonly burst: number;
  private readonly perSecond: number;

  constructor(burst = 25, perSecond = 9) {
    this.burst = burst;
    this.perSecond = perSecond;
    this.tokens = burst;
  }

  async take(): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      await sleep(((1 - this.tokens) / this.perSecond) * 1000);
      this.refill();
    }
    this.tokens -= 1;
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
