/**
 * Pages from before a reset, for the reset tests: they resume with the pass
 * of their last welcome (so the room knows them across the reset) and hand
 * back their copies as seed frames, as the room client does
 * (client/room/room-client.ts).
 */
import { seedFrames } from "../../client/room/replica";
import type { AccessCode, ChatMessage, QueueEntry, Roster, ServerMessage, Tombstone } from "../../protocol/wire";
import { Signatures } from "../../worker/room/signatures";
import { Client, setup, sign } from "./fakes";

export type T = ReturnType<typeof setup>;

/** What a staff page holds of one patient's conversation: queue entry, copy and erase points. */
export interface Held {
  entry: QueueEntry;
  messages: ChatMessage[];
  erased?: number;
  floor?: number;
  /** A session's participant list, its access code (hosts), and tombstones of deleted messages. */
  roster?: Roster;
  code?: AccessCode;
  deleted?: Tombstone[];
}

/** What a page was told of conversation `c`'s participants, code and deletions, as it hands them back. */
export function extrasOf(frames: readonly ServerMessage[], c: string): Pick<Held, "roster" | "code" | "deleted"> {
  const list = frames.filter((f) => f.type === "participants" && f.c === c).at(-1);
  const code = frames.filter((f) => f.type === "access_code" && f.c === c).at(-1);
  const deleted = frames.flatMap((f) => (f.type === "deleted" && f.c === c ? [f] : [])).map(({ type: _t, c: _c, ...t }) => t);
  return {
    ...(list?.type === "participants" ? { roster: { c, members: list.members, sig: list.sig } } : {}),
    ...(code?.type === "access_code" && code.code ? { code: code.code } : {}),
    ...(deleted.length > 0 ? { deleted } : {}),
  };
}

export const texts = (msgs: readonly ChatMessage[]) => msgs.map((m) => m.text);
/** Messages as records: without the arrival number, which belongs to one room instance. */
export const records = (msgs: readonly ChatMessage[]) => msgs.map(({ n: _n, ...m }) => m);

/** What `staff`'s page holds of every patient in the queue now. */
export function heldBy(t: T, staff: Client): Held[] {
  return t.room.queueSnapshot().map((entry) => ({ entry, messages: staff.copy(entry.c), ...extrasOf(staff.frames, entry.c) }));
}

/** A staff page from before the reset reconnects and hands back every patient's conversation it holds. */
export function staffRejoins(t: T, who: Client, held: readonly Held[], resume = who.resumeState()): Client {
  const page = new Client(t.room, who.identity).hello({ resume });
  for (const { entry, messages, erased, floor, roster, code, deleted } of held) {
    const { id, name, checkedInAt, session } = entry;
    const extra = {
      patient: { id, name, checkedInAt, ...(session ? { session } : {}) },
      ...(erased ? { erased } : {}),
      ...(floor ? { floor } : {}),
      ...(roster ? { roster } : {}),
      ...(code ? { code } : {}),
      ...(deleted ? { deleted } : {}),
    };
    for (const frame of seedFrames(entry.c, messages, extra)) page.send(frame);
  }
  return page;
}

/** A patient's (or guest's) page from before the reset reconnects and hands back its copy, with the tombstones it holds. */
export function patientRejoins(t: T, who: Client, held: readonly ChatMessage[], resume = who.resumeState(), deleted?: Tombstone[]): Client {
  const page = new Client(t.room, who.identity).hello({ resume });
  for (const frame of seedFrames(who.c, held, deleted ? { deleted } : {})) page.send(frame);
  return page;
}

const OBSERVER = { role: "host" as const, id: "observer-0123456789abcdef", name: "Room Copy", login: "observer-login-0123456789" };

/**
 * The room's whole copy of a patient's conversation: what a staff page from
 * before a reset gets when it comes back (it is sent everything the room
 * holds, even what only a patient's page vouches for). The page closes again.
 */
export function roomCopy(t: T, c: string): ChatMessage[] {
  const pass = new Signatures(t.room.name, sign).pass(OBSERVER.id, "observer-page", 0);
  const page = new Client(t.room, OBSERVER).hello({ resume: { pass, epoch: "an-earlier-epoch", n: 0 } });
  const copy = page.copy(c);
  page.drop();
  return copy;
}

/** The texts of the room's copy. */
export const roomTexts = (t: T, c: string) => texts(roomCopy(t, c));
