import { afterEach, expect, it } from "vitest";
import { closeAllSockets, connect, freshRoom, joinAsPatient, joinAsProvider, providerCookie, type Socket } from "./helpers";

afterEach(closeAllSockets);

/** A provider and a patient who have exchanged two messages. */
async function conversation(room: string) {
  const cookie = await providerCookie(room);
  const provider = await joinAsProvider(room, { cookie });
  const ana = await joinAsPatient(room, "Ana Lima");
  ana.socket.send({ type: "send", cid: "a1", text: "Hello" });
  await provider.socket.waitForType("msg", (m) => m.cid === "a1");
  provider.socket.send({ type: "send", cid: "p1", to: ana.patient.id, text: "Hi Ana" });
  const { seq: last } = await ana.socket.waitForType("msg", (m) => m.cid === "p1");
  return { cookie, provider, ana, last };
}

/** What a page resuming from the start of the conversation is sent. */
async function replayFor(room: string, cookie: string, epoch: string, patientId: string): Promise<Socket> {
  const page = await connect(room, cookie);
  await page.hello({ epoch, cursors: { [patientId]: 0 } });
  await page.settle();
  return page;
}

it("an erase frame removes the conversation from the room and tells the patient and the provider", async () => {
  const room = freshRoom();
  const { provider, ana, last } = await conversation(room);

  provider.socket.send({ type: "erase", patient: ana.patient.id, upto: last });

  const expected = { type: "erased", patient: ana.patient.id, upto: last };
  expect(await ana.socket.waitForType("erased")).toEqual(expected);
  expect(await provider.socket.waitForType("erased")).toEqual(expected);
  const replay = await replayFor(room, ana.patient.cookie, ana.welcome.epoch, ana.patient.id);
  expect(replay.of("msg")).toEqual([]);
});

it("reloading the provider page erases what it had been shown", async () => {
  const room = freshRoom();
  const { cookie, provider, ana, last } = await conversation(room);
  provider.socket.close();

  const reloaded = await joinAsProvider(room, { cookie });
  await reloaded.socket.settle();

  expect(await ana.socket.waitForType("erased")).toEqual({ type: "erased", patient: ana.patient.id, upto: last });
  expect(reloaded.socket.of("msg")).toEqual([]);
  const replay = await replayFor(room, ana.patient.cookie, ana.welcome.epoch, ana.patient.id);
  expect(replay.of("msg")).toEqual([]);
});

it("reloading the provider page keeps and delivers what no provider page had seen", async () => {
  const room = freshRoom();
  const { cookie, provider, ana, last } = await conversation(room);
  provider.socket.close();
  await ana.socket.waitForType("provider", (m) => !m.online);
  ana.socket.send({ type: "send", cid: "a2", text: "Are you still there?" });
  await ana.socket.waitForType("msg", (m) => m.cid === "a2");

  const reloaded = await joinAsProvider(room, { cookie });

  expect((await reloaded.socket.waitForType("msg")).text).toBe("Are you still there?");
  await reloaded.socket.settle();
  expect(reloaded.socket.of("msg")).toHaveLength(1);
  expect(await ana.socket.waitForType("erased")).toMatchObject({ upto: last });
});

it("a provider page that reconnects after a blip resumes without erasing anything", async () => {
  const room = freshRoom();
  const { cookie, provider, ana, last } = await conversation(room);
  provider.socket.close();
  await ana.socket.waitForType("provider", (m) => !m.online);
  ana.socket.send({ type: "send", cid: "a2", text: "Missed this one" });
  await ana.socket.waitForType("msg", (m) => m.cid === "a2");

  const resumed = await joinAsProvider(room, { cookie, resume: { epoch: provider.welcome.epoch, cursors: { [ana.patient.id]: last } } });
  await resumed.socket.settle();
  await ana.socket.settle();

  expect(resumed.socket.of("msg").map((m) => [m.seq, m.text])).toEqual([[last + 1, "Missed this one"]]);
  expect(ana.socket.of("erased")).toEqual([]);
});
