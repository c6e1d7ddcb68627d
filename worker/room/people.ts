import { isStaff, type Role } from "../../protocol/wire";
import { TokenBucket, type Rate } from "../rate-limit";
import { Pages } from "./pages";
import type { Socket } from "./socket";

/** Who is on a socket, as the worker verified it from a signed token. */
export interface Identity {
  role: Role;
  id: string;
  name: string;
  /** Staff: this sign-in (one per link opened), which signing out ends. */
  login?: string;
  /** Patients and guests: their conversation; patients also their check-in time, and scheduled session if any. */
  c?: string;
  checkedInAt?: number;
  session?: { id: string; startedAt: number; scheduled: true };
}

export interface ConversationPrefs {
  muted: boolean;
  archived: boolean;
}

/** Frames one person may send at once, and per second after that, over all their pages. */
export const FRAME_BUDGET: Rate = { burst: 30, perSecond: 10 };
/**
 * Messages one person may hand back after a reset. Staff pages hold every
 * patient's conversation, so theirs is large; a patient holds one.
 */
export const SEED_BUDGET = { staff: 500_000, other: 10_000 };
/** Seed frames one person may send, counted before parsing (a patient's copy fits in a few dozen). */
export const SEED_FRAMES = { staff: 50_000, other: 100 };
/** Frames refused for speed within this window before the socket is closed (1008). */
export const FLOOD = { refused: 60, windowMs: 10_000 };
/** Staff who left the room whose `seenUpto` is remembered (ids and numbers only). */
const SEEN_REMEMBERED = 10_000;

/** One person in the room, whatever the number of pages (tabs) they have open. */
export class Person {
  readonly id: string;
  readonly role: Role;
  name: string;
  /** Pages that said hello. */
  readonly pages = new Pages();
  /** Open sockets, said hello or not: capped per person. */
  sockets = 0;
  readonly frames: TokenBucket;
  /** Seeds handed back and frames refused: made the first time either happens, which most people never see. */
  private spent?: Spent;
  /** Staff: every message numbered up to here was shown to this person's pages. */
  seenUpto = 0;
  /** Staff: every page says it is hidden or idle. */
  away = false;
  /** Staff: their own settings per staff conversation (mute, archive). */
  prefs?: Map<string, ConversationPrefs>;
  /** Guests: the seq at which they joined, for their first page (they see the session from there on). */
  joinFloor?: number;
  /** When this person last said they were typing, per conversation. */
  typedAt?: Map<string, number>;

  constructor(identity: Identity, now: number) {
    this.id = identity.id;
    this.role = identity.role;
    this.name = identity.name;
    this.frames = new TokenBucket(FRAME_BUDGET, now);
  }

  get staff(): boolean {
    return isStaff(this.role);
  }

  private get budgets(): Spent {
    return (this.spent ??= {
      seedLeft: this.staff ? SEED_BUDGET.staff : SEED_BUDGET.other,
      seedFrames: this.staff ? SEED_FRAMES.staff : SEED_FRAMES.other,
      refused: 0,
      refusedSince: 0,
    });
  }

  takeSeedFrame(): boolean {
    return this.budgets.seedFrames-- > 0;
  }

  /** Counts `count` messages handed back; false once this person has handed back more than their budget. */
  takeSeeds(count: number): boolean {
    return (this.budgets.seedLeft -= count) >= 0;
  }

  /** Counts a refused frame; true once this person has been refused too often lately (a flood). */
  flooding(now: number): boolean {
    const spent = this.budgets;
    if (now - spent.refusedSince > FLOOD.windowMs) {
      spent.refused = 0;
      spent.refusedSince = now;
    }
    return ++spent.refused > FLOOD.refused;
  }
}

interface Spent {
  /** Messages this person may still hand back after a reset (below zero: too many were). */
  seedLeft: number;
  /** Seed frames this person may still send, counted before parsing. */
  seedFrames: number;
  /** Frames refused for speed since `refusedSince`. */
  refused: number;
  refusedSince: number;
}

/**
 * Everyone in the room and their pages, with presence: online while a page
 * is open, then a grace period (a dropped connection may come back) before
 * they count as gone. Expiry is driven by `expire`, a bounded amount of work
 * per call, so many people dropping at once do not leave in one burst.
 */
export class People {
  private readonly byId = new Map<string, Person>();
  private readonly staffIds = new Set<string>();
  /**
   * People with no page, and when their grace period ends: oldest deadline
   * first (grace is the same for everyone, so this is in deadline order).
   * Kept here rather than on each person: most people have a page.
   */
  private readonly leaving = new Map<Person, number>();
  /**
   * Staff who left: what their pages had been shown. Their next fresh page
   * still erases it (the erase rules), however long they were away; a
   * sign-out followed by a sign-in must not bring it back.
   */
  private readonly seenByGone = new Map<string, number>();

  get(id: string): Person | undefined {
    return this.byId.get(id);
  }

  /** The person for `identity`, added if new; the name follows their latest token. */
  ensure(identity: Identity, now: number): Person {
    let person = this.byId.get(identity.id);
    if (!person) {
      person = new Person(identity, now);
      this.byId.set(person.id, person);
      if (person.staff) {
        this.staffIds.add(person.id);
        person.seenUpto = this.seenByGone.get(person.id) ?? 0;
        this.seenByGone.delete(person.id);
      }
    }
    return person;
  }

  /** Staff members, signed in or within their grace period. */
  *staff(): Iterable<Person> {
    for (const id of this.staffIds) yield this.byId.get(id)!;
  }

  /** Every page of every staff member. */
  *staffPages(): Iterable<Socket> {
    for (const id of this.staffIds) yield* this.byId.get(id)!.pages;
  }

  get staffOnline(): boolean {
    for (const id of this.staffIds) if (this.byId.get(id)!.pages.size > 0) return true;
    return false;
  }

  /** A page said hello: the person is here, whatever grace period ran. */
  arrived(person: Person, page: Socket): void {
    person.pages.add(page);
    this.leaving.delete(person);
  }

  /** A page closed; true when it was the person's last, and their grace period starts. */
  departed(person: Person, page: Socket, now: number, graceMs: number): boolean {
    if (!person.pages.delete(page) || person.pages.size > 0) return false;
    this.startGrace(person, now, graceMs);
    return true;
  }

  /** Someone admitted before they connect gets the grace period to do so. */
  startGrace(person: Person, now: number, graceMs: number): void {
    this.leaving.delete(person);
    this.leaving.set(person, now + graceMs);
  }

  /** When the grace period of a person with no page ends (0: has a page, or is not in the room). */
  leaveAt(person: Person): number {
    return this.leaving.get(person) ?? 0;
  }

  /** How many people are in their grace period. */
  get leavingCount(): number {
    return this.leaving.size;
  }

  /** People whose grace period has ended, at most `max` of them, removed from the room. */
  expire(now: number, max: number): Person[] {
    const gone: Person[] = [];
    for (const [person, leaveAt] of this.leaving) {
      if (gone.length >= max || leaveAt > now) break;
      this.leaving.delete(person);
      gone.push(person);
      this.remove(person.id);
    }
    return gone;
  }

  remove(id: string): Person | undefined {
    const person = this.byId.get(id);
    if (!person) return undefined;
    this.byId.delete(id);
    this.staffIds.delete(id);
    this.leaving.delete(person);
    if (person.staff && person.seenUpto > 0) {
      if (this.seenByGone.size >= SEEN_REMEMBERED) this.seenByGone.delete(this.seenByGone.keys().next().value!);
      this.seenByGone.set(id, person.seenUpto);
    }
    return person;
  }
}
