/**
 * Pages from before a reset, for the reset tests: they say hello with the
 * old epoch and hand back their copies (seed frames) as the client models
 * do (client/provider/model.ts, client/patient/model.ts).
 */
import { seedFrames } from "../../client/lib/replica";
import type { ChatMessage, PatientInfo } from "../../worker/protocol";
import { Client, EPOCH, setup } from "./fakes";

export type T = ReturnType<typeof setup>;

/** What the provider's page holds of one patient: queue entry, copy and erase point. */
export interface Held {
  info: PatientInfo;
  messages: ChatMessage[];
  erased?: number;
}

export const texts = (msgs: readonly ChatMessage[]) => msgs.map((m) => m.text);
export const cursorOf = (msgs: readonly ChatMessage[]) => msgs.at(-1)?.seq ?? 0;

/** The provider's page from before the reset reconnects and hands back every conversation it holds. */
export function providerRejoins(t: T, held: Held[]): Client {
  const page = new Client(t.room, { role: "provider", id: "provider", name: "Dr. Rivera" });
  page.hello({ epoch: EPOCH, cursors: Object.fromEntries(held.map((h) => [h.info.id, cursorOf(h.messages)])) });
  for (const { info, messages, erased } of held) {
    const { name, checkedInAt, session } = info;
    const extra = { info: { name, checkedInAt, ...(session ? { session } : {}) }, ...(erased ? { erased } : {}) };
    for (const frame of seedFrames(info.id, messages, extra)) page.send(frame);
  }
  return page;
}

/** A patient's page from before the reset reconnects and hands back its copy. */
export function patientRejoins(t: T, who: Client, held: readonly ChatMessage[]): Client {
  const page = new Client(t.room, who.identity).hello({ epoch: EPOCH, cursors: { [who.id]: cursorOf(held) } });
  for (const frame of seedFrames(who.id, held)) page.send(frame);
  return page;
}

/** A page that opens after everything was handed back and resumes from 0: the room's whole copy. */
export function roomCopy(t: T, patient: string): string[] {
  const page = new Client(t.room, { role: "provider", id: "provider", name: "Dr. Rivera" }).hello({ epoch: t.room.epoch, cursors: { [patient]: 0 } });
  return texts(page.copy(patient));
}

/**
 * Ana and Bo chat with the provider; the provider's page goes offline and
 * Ana writes once more, so only her page holds her last message. Then the
 * room is reset.
 */
export function resetMidConversation(options: Parameters<typeof setup>[0] = {}) {
  const t = setup(options);
  const provider = t.provider();
  const ana = t.patient("Ana Lima");
  t.clock.advance(60_000);
  const bo = t.patient("Bo Chen");
  ana.send({ type: "send", cid: "a1", text: "Hi, I'm here." });
  provider.send({ type: "send", cid: "p1", to: ana.id, text: "Welcome, Ana." });
  bo.send({ type: "send", cid: "b1", text: "Hello from Bo." });
  provider.drop();
  ana.send({ type: "send", cid: "a2", text: "Are you still there?" });
  const queue = t.room.queue();
  const held = {
    provider: queue.map((info) => ({ info, messages: provider.copy(info.id) })),
    ana: ana.copy(),
    bo: bo.copy(),
  };
  const before = t.room;
  t.reset();
  return { t, ana, bo, held, before };
}
