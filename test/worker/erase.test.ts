import { afterEach, expect, it } from "vitest";
import { CLOSE } from "../../protocol/wire";
import { api, closeAllSockets, connect, freshRoom, joinAsPatient, joinAsStaff, staffCookie, type JoinedPatient, type Socket } from "./helpers";

afterEach(closeAllSockets);

/** A host and a patient who have exchanged two messages. */
async function conversation(room: string) {
  const cookie = await staffCookie(room);
  const host = await joinAsStaff(room, { cookie });
  const ana = await joinAsPatient(room, "Ana Lima");
  ana.socket.send({ type: "send", c: ana.patient.c, cid: "a1", text: "Hello" });
  await host.socket.waitForType("msg", (m) => m.cid === "a1");
  host.socket.send({ type: "send", c: ana.patient.c, cid: "p1", text: "Hi Ana" });
  const { seq: last } = await ana.socket.waitForType("msg", (m) => m.cid === "p1");
  await host.socket.settle();
  return { cookie, host, ana, last };
}

/** What the patient's page, resuming from the start of the conversation, is sent. */
async function replayFor(room: string, ana: JoinedPatient): Promise<Socket> {
  const page = await connect(room, ana.patient.cookie);
  await page.hello({ resume: { pass: ana.welcome.pass, epoch: ana.welcome.epoch, n: 0 } });
  await page.settle();
  return page;
}

it("closing the chat box erases the conversation in the room and tells the patient and the staff page", async () => {
  const room = freshRoom();
  const { host, ana, last } = await conversation(room);

  host.socket.send({ type: "close", c: ana.patient.c, upto: last });

  const expected = { type: "erased", c: ana.patient.c, upto: last };
  expect(await ana.socket.waitForType("erased")).toEqual(expected);
  expect(await host.socket.waitForType("erased")).toEqual(expected);
  const replay = await replayFor(room, ana);
  expect(replay.of("msg")).toEqual([]);
});

it("reloading the staff page erases what it had been shown", async () => {
  const room = freshRoom();
  const { cookie, host, ana, last } = await conversation(room);
  host.socket.close();

  const reloaded = await joinAsStaff(room, { cookie });
  await reloaded.socket.settle();

  expect(await ana.socket.waitForType("erased")).toEqual({ type: "erased", c: ana.patient.c, upto: last });
  expect(reloaded.socket.of("msg")).toEqual([]);
  const replay = await replayFor(room, ana);
  expect(replay.of("msg")).toEqual([]);
});

it("signing in again after signing out erases what the signed-out page had been shown, however long the staff member was away", async () => {
  const room = freshRoom();
  const desk = await joinAsStaff(room, { name: "Sam Reyes", role: "staff" });
  const { host, ana, last } = await conversation(room);
  await api("/api/provider/session", { method: "DELETE", headers: { Cookie: host.cookie } });
  expect((await host.socket.waitForClose()).code).toBe(CLOSE.signedOut);
  // LEAVE_GRACE_SECONDS is 1 in the test config: the room no longer counts them as present.
  await desk.socket.waitForType("staff_gone", (m) => m.id === host.id, { timeoutMs: 5_000 });

  const again = await joinAsStaff(room);
  await again.socket.settle();

  expect(again.id).toBe(host.id);
  expect(await ana.socket.waitForType("erased")).toEqual({ type: "erased", c: ana.patient.c, upto: last });
  expect(again.socket.of("msg")).toEqual([]);
  const replay = await replayFor(room, ana);
  expect(replay.of("msg")).toEqual([]);
});

it("reloading the staff page keeps and delivers what no staff page had seen", async () => {
  const room = freshRoom();
  const { cookie, host, ana, last } = await conversation(room);
  host.socket.close();
  await ana.socket.waitForType("staff_online", (m) => !m.online);
  ana.socket.send({ type: "send", c: ana.patient.c, cid: "a2", text: "Are you still there?" });
  expect(await ana.socket.waitForType("msg", (m) => m.cid === "a2")).toMatchObject({ q: true });

  const reloaded = await joinAsStaff(room, { cookie });

  expect((await reloaded.socket.waitForType("msg")).text).toBe("Are you still there?");
  await reloaded.socket.settle();
  expect(reloaded.socket.of("msg")).toHaveLength(1);
  expect(await ana.socket.waitForType("erased")).toMatchObject({ upto: last });
});

it("a staff page that reconnects after a blip resumes without erasing anything", async () => {
  const room = freshRoom();
  const { cookie, host, ana } = await conversation(room);
  const resume = host.socket.resumeState();
  host.socket.close();
  await ana.socket.waitForType("staff_online", (m) => !m.online);
  ana.socket.send({ type: "send", c: ana.patient.c, cid: "a2", text: "Missed this one" });
  const missed = await ana.socket.waitForType("msg", (m) => m.cid === "a2");

  const resumed = await joinAsStaff(room, { cookie, resume });
  await resumed.socket.settle();
  await ana.socket.settle();

  expect(resumed.socket.of("msg").map((m) => [m.seq, m.text])).toEqual([[missed.seq, "Missed this one"]]);
  expect(ana.socket.of("erased")).toEqual([]);
});
