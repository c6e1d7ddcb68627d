/**
 * Pages from before a reset, for the reset tests: they resume with the pass
 * of their last welcome (so the room knows them across the reset) and hand
 * back their copies as seed frames, as the room client does
 * (client/room/room-client.ts).
 */
import { seedFrames } from "../../client/room/replica";
import type { ChatMessage, QueueEntry } from "../../protocol/wire";
import { Signatures } from "../../worker/room/signatures";
import { Client, setup, sign } from "./fakes";

export type T = ReturnType<typeof setup>;

/** What a staff page holds of one patient's conversation: queue entry, copy and erase points. */
export interface Held {
  entry: QueueEntry;
  messages: ChatMessage[];
  erased?: number;
  floor?: number;
}

export const texts = (msgs: readonly ChatMessage[]) => msgs.map((m) => m.text);
/** Messages as records: without the arrival number, which belongs to one room instance. */
export const records = (msgs: readonly ChatMessage[]) => msgs.map(({ n: _n, ...m }) => m);

/** What `staff`'s page holds of every patient in the queue now. */
export function heldBy(t: T, staff: Client): Held[] {
  return t.room.queueSnapshot().map((entry) => ({ entry, messages: staff.copy(entry.c) }));
}

/** A staff page from before the reset reconnects and hands back every patient's conversation it holds. */
export function staffRejoins(t: T, who: Client, held: readonly Held[], resume = who.resumeState()): Client {
  const page = new Client(t.room, who.identity).hello({ resume });
  for (const { entry, messages, erased, floor } of held) {
    const { id, name, checkedInAt, session } = entry;
    const extra = { patient: { id, name, checkedInAt, ...(session ? { session } : {}) }, ...(erased ? { erased } : {}), ...(floor ? { floor } : {}) };
    for (const frame of seedFrames(entry.c, messages, extra)) page.send(frame);
  }
  return page;
}

/** A patient's page from before the reset reconnects and hands back its copy. */
export function patientRejoins(t: T, who: Client, held: readonly ChatMessage[], resume = who.resumeState()): Client {
  const page = new Client(t.room, who.identity).hello({ resume });
  for (const frame of seedFrames(who.c, held)) page.send(frame);
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
