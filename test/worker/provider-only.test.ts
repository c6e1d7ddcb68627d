/**
 * Erase, sessions, download notices and broadcasts are the provider's. A
 * patient who sends those frames (a tampered page) is refused, changes
 * nothing for anyone, and keeps a working chat.
 */
import { afterEach, expect, it } from "vitest";
import { closeAllSockets, connect, freshRoom, joinAsPatient, joinAsProvider, type JoinedPatient } from "./helpers";

afterEach(closeAllSockets);

/** Ana waits with a message sent; Bo is in a text-only session with a conversation under way. */
async function clinic() {
  const room = freshRoom();
  const { socket: provider } = await joinAsProvider(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  const bo = await joinAsPatient(room, "Bo Chen");
  provider.send({ type: "start_session", patient: bo.patient.id });
  const { session } = await bo.socket.waitForType("session_started");
  bo.socket.send({ type: "send", cid: "b1", text: "My results?" });
  await provider.waitForType("msg", (m) => m.cid === "b1");
  provider.send({ type: "send", cid: "p1", to: bo.patient.id, text: "All clear." });
  await bo.socket.waitForType("msg", (m) => m.cid === "p1");
  ana.socket.send({ type: "send", cid: "a1", text: "Is it my turn?" });
  await provider.waitForType("msg", (m) => m.cid === "a1");
  return { room, provider, ana, bo, session };
}

/** Every provider-only frame, aimed at the sender and at the other patient. */
function providerOnlyFrames(self: string, other: string): object[] {
  return [
    { type: "erase", patient: other, upto: 99 },
    { type: "erase", patient: self, upto: 99 },
    { type: "start_session", patient: self },
    { type: "start_session", patient: other },
    { type: "end_session", patient: other },
    { type: "downloaded", patient: other },
    { type: "downloaded", patient: self },
    { type: "broadcast", cid: "x1", text: "The clinic is closed today, please go home." },
  ];
}

/** A second page of `patient` resuming from the start: what the room still holds for them. */
async function secondPage(room: string, patient: JoinedPatient) {
  const page = await connect(room, patient.patient.cookie);
  const welcome = await page.hello({ epoch: patient.welcome.epoch, cursors: { [patient.patient.id]: 0 } });
  await page.settle();
  return { welcome, cids: page.of("msg").map((m) => m.cid) };
}

it("each provider-only frame a patient sends is refused as forbidden, and their chat keeps working", async () => {
  const { provider, ana, bo } = await clinic();
  const frames = providerOnlyFrames(ana.patient.id, bo.patient.id);
  const from = ana.socket.mark();

  for (const frame of frames) ana.socket.send(frame);
  await ana.socket.settle();

  expect(ana.socket.received.slice(from).map((m) => (m.type === "error" ? m.code : m.type))).toEqual([...frames.map(() => "forbidden"), "pong"]);
  ana.socket.send({ type: "send", cid: "a2", text: "Still waiting here." });
  expect(await provider.waitForType("msg", (m) => m.cid === "a2")).toMatchObject({ patient: ana.patient.id, text: "Still waiting here." });
  const [first] = ana.socket.of("msg");
  expect(await ana.socket.waitForType("msg", (m) => m.cid === "a2")).toMatchObject({ seq: first!.seq + 1 });
});

it("a patient's provider-only frames change nothing for the provider or another patient", async () => {
  const { room, provider, ana, bo, session } = await clinic();
  const seenByProvider = provider.mark();
  const seenByBo = bo.socket.mark();

  for (const frame of providerOnlyFrames(ana.patient.id, bo.patient.id)) ana.socket.send(frame);
  await ana.socket.settle();
  await provider.settle();
  await bo.socket.settle();

  expect(provider.received.slice(seenByProvider).map((m) => m.type)).toEqual(["pong"]);
  expect(bo.socket.received.slice(seenByBo).map((m) => m.type)).toEqual(["pong"]);
  // Bo's session goes on, with nothing of his conversation erased.
  bo.socket.send({ type: "send", cid: "b2", text: "Thanks!" });
  const before = bo.socket.of("msg").at(-1)!;
  expect(await provider.waitForType("msg", (m) => m.cid === "b2")).toMatchObject({ patient: bo.patient.id, seq: before.seq + 1 });
  expect(await secondPage(room, bo)).toEqual({ welcome: expect.objectContaining({ session }), cids: ["b1", "p1", "b2"] });
  // Ana erased nothing of her own and started no session for herself.
  const anaAgain = await secondPage(room, ana);
  expect(anaAgain.cids).toEqual(["a1"]);
  expect(anaAgain.welcome.session).toBeUndefined();
});
