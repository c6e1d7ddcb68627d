/**
 * Erasing, sessions, download notices, messages to everyone and staff chats
 * are for staff. A patient who sends those frames (a tampered page) is
 * refused, changes nothing for anyone, and keeps a working chat.
 */
import { afterEach, expect, it } from "vitest";
import { closeAllSockets, connect, freshRoom, joinAsPatient, joinAsStaff, type JoinedPatient } from "./helpers";

afterEach(closeAllSockets);

/** Ana waits with a message sent; Bo is in a text-only session with a conversation under way. */
async function clinic() {
  const room = freshRoom();
  const { socket: host, id: hostId } = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  const bo = await joinAsPatient(room, "Bo Chen");
  host.send({ type: "start_session", c: bo.patient.c });
  const { session } = await bo.socket.waitForType("session_started");
  bo.socket.send({ type: "send", c: bo.patient.c, cid: "b1", text: "My results?" });
  await host.waitForType("msg", (m) => m.cid === "b1");
  host.send({ type: "send", c: bo.patient.c, cid: "p1", text: "All clear." });
  await bo.socket.waitForType("msg", (m) => m.cid === "p1");
  ana.socket.send({ type: "send", c: ana.patient.c, cid: "a1", text: "Is it my turn?" });
  await host.waitForType("msg", (m) => m.cid === "a1");
  await host.settle();
  return { room, host, hostId, ana, bo, session };
}

const ALL = Number.MAX_SAFE_INTEGER;

/** Every staff-only frame, aimed at the sender's conversation and at the other patient's, with the refusal each gets. */
function staffOnlyFrames(self: string, other: string, staffMember: string): [object, string][] {
  return [
    [{ type: "close", c: other, upto: ALL }, "forbidden"],
    [{ type: "close", c: self, upto: ALL }, "forbidden"],
    [{ type: "view", c: other }, "forbidden"],
    [{ type: "start_session", c: self }, "forbidden"],
    // Another patient's conversation is not theirs to name: the same answer as one that does not exist.
    [{ type: "start_session", c: other }, "recipient_left"],
    [{ type: "end_session", c: other }, "recipient_left"],
    [{ type: "downloaded", c: other }, "recipient_left"],
    [{ type: "downloaded", c: self }, "forbidden"],
    [{ type: "broadcast", cid: "x1", text: "The clinic is closed today, please go home." }, "forbidden"],
    [{ type: "direct", with: staffMember }, "forbidden"],
    [{ type: "create_group", cid: "g1", title: "Patients", members: [staffMember] }, "forbidden"],
  ];
}

/** Another page of `patient` resuming the first from the start: what the room still holds for them. */
async function secondPage(room: string, patient: JoinedPatient) {
  const page = await connect(room, patient.patient.cookie);
  const welcome = await page.hello({ resume: { pass: patient.welcome.pass, epoch: patient.welcome.epoch, n: 0 } });
  await page.settle();
  return { welcome, cids: page.of("msg").map((m) => m.cid) };
}

it("each staff-only frame a patient sends is refused, and their chat keeps working", async () => {
  const { host, hostId, ana, bo } = await clinic();
  const frames = staffOnlyFrames(ana.patient.c, bo.patient.c, hostId);
  const from = ana.socket.mark();

  for (const [frame] of frames) ana.socket.send(frame);
  await ana.socket.settle();

  expect(ana.socket.received.slice(from).map((m) => (m.type === "error" ? m.code : m.type))).toEqual([...frames.map(([, code]) => code), "pong"]);
  ana.socket.send({ type: "send", c: ana.patient.c, cid: "a2", text: "Still waiting here." });
  expect(await host.waitForType("msg", (m) => m.cid === "a2")).toMatchObject({ c: ana.patient.c, text: "Still waiting here." });
  // Nothing was numbered in between: the refused frames added nothing to the room.
  const [first] = ana.socket.of("msg");
  expect((await ana.socket.waitForType("msg", (m) => m.cid === "a2")).n).toBe(first!.n + 1);
});

it("a patient's staff-only frames change nothing for staff or another patient", async () => {
  const { room, host, hostId, ana, bo, session } = await clinic();
  const seenByHost = host.mark();
  const seenByBo = bo.socket.mark();

  for (const [frame] of staffOnlyFrames(ana.patient.c, bo.patient.c, hostId)) ana.socket.send(frame);
  await ana.socket.settle();
  await host.settle();
  await bo.socket.settle();

  expect(host.received.slice(seenByHost).map((m) => m.type)).toEqual(["pong"]);
  expect(bo.socket.received.slice(seenByBo).map((m) => m.type)).toEqual(["pong"]);
  // Bo's session goes on, with nothing of his conversation erased.
  bo.socket.send({ type: "send", c: bo.patient.c, cid: "b2", text: "Thanks!" });
  const before = bo.socket.of("msg").at(-1)!;
  expect(await host.waitForType("msg", (m) => m.cid === "b2")).toMatchObject({ c: bo.patient.c, n: before.n + 2 });
  expect(await secondPage(room, bo)).toEqual({ welcome: expect.objectContaining({ session }), cids: ["b1", "p1", "b2"] });
  // Ana erased nothing of her own and started no session for herself.
  const anaAgain = await secondPage(room, ana);
  expect(anaAgain.cids).toEqual(["a1"]);
  expect(anaAgain.welcome.session).toBeUndefined();
});
