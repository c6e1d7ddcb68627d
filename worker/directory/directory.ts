import { normalizeCode } from "../../protocol/access-code";
import { SlidingWindow } from "../rate-limit";
import type { CodeEntry } from "../room/access-codes";
import type { GuestAdmission } from "../room/commands/participants";

/**
 * Wrong codes allowed within a minute: from one client address, and from
 * everyone together (so many addresses guessing at once get no further).
 * Once either is reached, every try is refused until the minute has passed,
 * a right code included, so a refusal says nothing about the code.
 */
export const GUESS_LIMITS = { perAddress: 10, everywhere: 300, windowMs: 60_000 };
/** Live codes the directory holds at most (all rooms together). */
export const MAX_CODES = 100_000;
/** The largest multiple of 10⁹ below 2³²: a 32-bit draw at or above it is drawn again, so every code is equally likely. */
const UNBIASED_BELOW = Math.floor(2 ** 32 / 1e9) * 1e9;

/** Nine digits from a CSPRNG without modulo bias. `draw` returns a uniform 32-bit integer. */
export function randomCode(draw: () => number = drawUint32): string {
  for (;;) {
    const x = draw();
    if (x < UNBIASED_BELOW) return String(x % 1e9).padStart(9, "0");
  }
}

function drawUint32(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/** How the directory reaches a room: the room decides whether the code still opens its session. */
export interface RoomsPort {
  admitGuest(room: string, c: string, code: string, name: string): Promise<GuestAdmission>;
}

export type Redeemed =
  | { ok: true; room: string; guest: { id: string; c: string; name: string; joinedAt: number } }
  /** `invalid` is the one answer for a wrong, withdrawn, replaced or expired code, and one of a session that ended. */
  | { ok: false; reason: "invalid" | "too_many" | "full" | "unavailable" };

export interface DirectoryOptions {
  rooms: RoomsPort;
  now(): number;
  draw?: () => number;
  limits?: Partial<typeof GUESS_LIMITS>;
}

/**
 * Access code → room and session, for every room, in memory only. Rooms
 * register their codes (and renew them, so a directory that lost its
 * memory has them back soon) and withdraw them; the join page's code is
 * looked up here, then the room admits the guest. A code the room no
 * longer holds is refused by the room and forgotten here.
 */
export class Directory {
  private readonly codes = new Map<string, CodeEntry & { room: string }>();
  private readonly byAddress: SlidingWindow;
  private readonly everywhere: SlidingWindow;
  private readonly opts: DirectoryOptions;

  constructor(opts: DirectoryOptions) {
    this.opts = opts;
    const limits = { ...GUESS_LIMITS, ...opts.limits };
    this.byAddress = new SlidingWindow(limits.perAddress, limits.windowMs);
    this.everywhere = new SlidingWindow(limits.everywhere, limits.windowMs, 1);
  }

  get size(): number {
    return this.codes.size;
  }

  /** A new code for session `c` of `room`, unique among live codes; null when the directory is full. */
  issue(room: string, c: string, until: number): string | null {
    if (this.codes.size >= MAX_CODES) this.prune();
    if (this.codes.size >= MAX_CODES) return null;
    for (let i = 0; i < 100; i++) {
      const code = randomCode(this.opts.draw);
      if (this.live(code)) continue;
      this.codes.set(code, { code, room, c, until });
      return code;
    }
    return null;
  }

  /** Registers a room's live codes again; answers those another session holds. */
  renew(room: string, entries: readonly CodeEntry[]): string[] {
    const now = this.opts.now();
    const refused: string[] = [];
    for (const entry of entries) {
      const held = this.live(entry.code);
      if (held && (held.room !== room || held.c !== entry.c)) refused.push(entry.code);
      else if (entry.until > now && (held || this.codes.size < MAX_CODES)) this.codes.set(entry.code, { ...entry, room });
    }
    return refused;
  }

  /** A room's codes stop working (withdrawn, replaced, or their session ended). */
  withdraw(room: string, codes: readonly string[]): void {
    for (const code of codes) if (this.codes.get(code)?.room === room) this.codes.delete(code);
  }

  /** Someone on the join page typed `typed` from `address`: the room's answer, or the one plain refusal. */
  async redeem(typed: string, name: string, address: string): Promise<Redeemed> {
    const now = this.opts.now();
    if (this.byAddress.full(address, now) || this.everywhere.full("*", now)) return { ok: false, reason: "too_many" };
    const code = normalizeCode(typed);
    const entry = code ? this.live(code) : undefined;
    if (!code || !entry) return this.wrong(address, now);
    let admitted: GuestAdmission;
    try {
      admitted = await this.opts.rooms.admitGuest(entry.room, entry.c, code, name);
    } catch {
      return { ok: false, reason: "unavailable" };
    }
    if (admitted.ok) return { ok: true, room: entry.room, guest: { id: admitted.id, c: admitted.c, name, joinedAt: admitted.joinedAt } };
    if (admitted.reason !== "invalid") return admitted;
    if (this.codes.get(code) === entry) this.codes.delete(code);
    return this.wrong(address, this.opts.now());
  }

  /** Forgets codes whose lifetime ended; returns how many are left. */
  prune(): number {
    const now = this.opts.now();
    for (const [code, entry] of this.codes) if (entry.until <= now) this.codes.delete(code);
    return this.codes.size;
  }

  private live(code: string): (CodeEntry & { room: string }) | undefined {
    const entry = this.codes.get(code);
    if (entry && entry.until <= this.opts.now()) this.codes.delete(code);
    return entry && entry.until > this.opts.now() ? entry : undefined;
  }

  private wrong(address: string, now: number): Redeemed {
    this.byAddress.add(address, now);
    this.everywhere.add("*", now);
    return { ok: false, reason: "invalid" };
  }
}
