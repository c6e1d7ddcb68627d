import { ACCESS_CODE } from "../../protocol/access-code";
import type { AccessCode, ServerMessage } from "../../protocol/wire";
import { TokenBucket } from "../rate-limit";
import type { Conversation } from "./conversation";
import type { People } from "./people";
import type { Signatures } from "./signatures";
import type { Socket } from "./socket";

/** A live code as the directory keeps it. */
export interface CodeEntry {
  code: string;
  c: string;
  until: number;
}

/**
 * The directory, shared by every room, that finds a session from the code a
 * guest types (the join page sends the code, not the room). It keeps
 * nothing durable either: each room renews its live codes there, so a
 * directory that lost its memory has them back within one renewal, and a
 * code the room no longer holds is refused when someone tries it.
 */
export interface DirectoryPort {
  /** A new code, unique among live ones, for session `c` of `room`; null when none can be made. */
  issue(room: string, c: string, until: number): Promise<string | null>;
  /** Registers live codes again; answers the ones it refused (another session holds them). */
  renew(room: string, codes: CodeEntry[]): Promise<string[]>;
  withdraw(room: string, codes: string[]): Promise<void>;
}

/** Each room renews its live codes this often. */
export const LEASE_MS = 30_000;
/**
 * Guests one room admits by code: at once, and per minute after that. A
 * code found by guessing, or passed around, cannot fill a room.
 */
export const JOINS_PER_MINUTE = 10;
/** Sessions of one room with a live code at once: every live code is one more a guess can hit. */
export const LIVE_CODES_PER_ROOM = 50;

export interface AccessCodesDeps {
  room: string;
  directory: DirectoryPort;
  sigs: Signatures;
  people: People;
  now(): number;
  /** Whether `conv` is still a session in the room (it may end while the directory answers). */
  inSession(conv: Conversation): boolean;
}

/**
 * Sessions' access codes. A session has at most one code at a time; the
 * conversation holds it (signed, so a host's page can hand it back after a
 * reset), and it dies with the session, when a host withdraws it or makes
 * a new one, and when its lifetime ends. Only hosts' pages are told codes.
 */
export class AccessCodes {
  private readonly held = new Set<Conversation>();
  private readonly joins: TokenBucket;
  private renewAt = 0;
  private readonly deps: AccessCodesDeps;

  constructor(deps: AccessCodesDeps) {
    this.deps = deps;
    this.joins = new TokenBucket({ burst: JOINS_PER_MINUTE, perSecond: JOINS_PER_MINUTE / 60 }, deps.now());
  }

  /** The code that admits guests to `conv` now, if any. */
  live(conv: Conversation): AccessCode | undefined {
    const code = conv.code;
    return code && code.until > this.deps.now() ? code : undefined;
  }

  /** A guest came in by code: false when this room has admitted too many lately. */
  takeJoin(): boolean {
    return this.joins.take(this.deps.now());
  }

  /** Asks the directory for a new code for `conv`; the one it had stops working once the new one is there. */
  make(conv: Conversation, failed: (message: string) => void): void {
    const { directory, room, sigs } = this.deps;
    if (this.held.size >= LIVE_CODES_PER_ROOM && !this.held.has(conv)) {
      return failed(`This waiting room has ${LIVE_CODES_PER_ROOM} access codes in use. Withdraw one, or end a session, first.`);
    }
    const until = this.deps.now() + ACCESS_CODE.lifetimeMs;
    const refused = () => failed("No access code could be made just now. Please try again.");
    directory.issue(room, conv.id, until).then((code) => {
      if (!code) return refused();
      // The session ended while the directory answered: the code goes too.
      if (!this.deps.inSession(conv)) return void this.tell(directory.withdraw(room, [code]));
      const before = conv.code;
      this.set(conv, { code, until, sig: sigs.code(conv.id, code, until) });
      if (before) this.tell(directory.withdraw(room, [before.code]));
    }, refused);
  }

  /** A host withdrew the code: it stops working at once. */
  withdraw(conv: Conversation): void {
    const code = conv.code;
    if (!code) return;
    this.set(conv, undefined);
    this.tell(this.deps.directory.withdraw(this.deps.room, [code.code]));
  }

  /** The session ended: its code dies with it. Nobody is told; the session's pages are gone. */
  forget(conv: Conversation): void {
    const code = conv.code;
    this.held.delete(conv);
    conv.code = undefined;
    if (code) this.tell(this.deps.directory.withdraw(this.deps.room, [code.code]));
  }

  /**
   * A host's page hands back a session's code after a reset: taken when the
   * room signed it, it is still live, and it is newer than any code the
   * session has now; then registered with the directory again.
   */
  restore(conv: Conversation, code: AccessCode): void {
    const { directory, room, sigs } = this.deps;
    if (!this.deps.inSession(conv) || code.until <= this.deps.now() || !sigs.verifyCode(conv.id, code)) return;
    if (conv.code && conv.code.until >= code.until) return;
    const before = conv.code;
    this.set(conv, code);
    if (before) this.tell(directory.withdraw(room, [before.code]));
    this.tell(
      directory.renew(room, [{ code: code.code, c: conv.id, until: code.until }]).then((refused) => {
        if (refused.includes(code.code) && conv.code === code) this.set(conv, undefined);
      }),
    );
  }

  /** Tells hosts' pages the code `conv` has now (or one page, `to`). */
  send(conv: Conversation, to?: Socket): void {
    const frame = JSON.stringify({ type: "access_code", c: conv.id, code: this.live(conv) ?? null } satisfies ServerMessage);
    if (to) return to.sendRaw(frame);
    for (const page of this.deps.people.staffPages()) if (page.person.role === "host") page.sendRaw(frame);
  }

  /** Sessions with a code now. */
  sessions(): Iterable<Conversation> {
    return this.held;
  }

  /**
   * A timer turn: codes whose lifetime ended go, and every renewal period
   * the live ones are registered with the directory again. Returns whether
   * there are live codes (the timer keeps turning for them).
   */
  chore(now: number): boolean {
    for (const conv of [...this.held]) if (!this.live(conv)) this.set(conv, undefined);
    if (this.held.size === 0) return false;
    if (now < this.renewAt) return true;
    this.renewAt = now + LEASE_MS;
    const entries = [...this.held].map((conv) => ({ code: conv.code!.code, c: conv.id, until: conv.code!.until }));
    this.tell(
      this.deps.directory.renew(this.deps.room, entries).then((refused) => {
        for (const conv of [...this.held]) if (conv.code && refused.includes(conv.code.code)) this.set(conv, undefined);
      }),
    );
    return true;
  }

  private set(conv: Conversation, code: AccessCode | undefined): void {
    conv.code = code;
    if (code) this.held.add(conv);
    else this.held.delete(conv);
    this.send(conv);
  }

  /** A directory call whose answer changes nothing here if it fails: the next renewal or a refused try sets it right. */
  private tell(call: Promise<unknown>): void {
    call.catch(() => {});
  }
}

/** A directory that is never reached: a room with no directory makes no codes (tests that do not need one). */
export const noDirectory: DirectoryPort = {
  issue: async () => null,
  renew: async (_room, codes) => codes.map((c) => c.code),
  withdraw: async () => {},
};
