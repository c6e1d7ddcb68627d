/**
 * Several staff members in one waiting room: each sees the queue and every
 * patient's messages live, sees who is signed in and who has which chat
 * open; a patient sees who wrote to them, and nothing of anyone else.
 */
import { afterEach, expect, it } from "vitest";
import { closeAllSockets, freshRoom, joinAsPatient, joinAsStaff } from "./helpers";

afterEach(closeAllSockets);

/** A host and a front-desk colleague, both signed in to a fresh room. */
async function twoStaff() {
  const room = freshRoom();
  const host = await joinAsStaff(room, { name: "Dr. Rivera" });
  const desk = await joinAsStaff(room, { name: "Sam Reyes", role: "staff" });
  return { room, host, desk };
}

it("every staff page gets the queue on arrival and each patient and patient message live", async () => {
  const room = freshRoom();
  const early = await joinAsPatient(room, "Ana Lima");
  const host = await joinAsStaff(room, { name: "Dr. Rivera" });
  const desk = await joinAsStaff(room, { name: "Sam Reyes", role: "staff" });

  const bo = await joinAsPatient(room, "Bo Chen");
  early.socket.send({ type: "send", c: early.patient.c, cid: "a1", text: "Is the doctor in?" });
  bo.socket.send({ type: "send", c: bo.patient.c, cid: "b1", text: "I'm here for 3 pm." });

  for (const staff of [host, desk]) {
    expect((await staff.socket.waitForType("queue")).patients.map((p) => p.name)).toEqual(["Ana Lima"]);
    expect((await staff.socket.waitForType("patient", (m) => m.patient.c === bo.patient.c)).patient).toMatchObject({ name: "Bo Chen", status: "waiting" });
    expect(await staff.socket.waitForType("msg", (m) => m.cid === "a1")).toMatchObject({ c: early.patient.c, name: "Ana Lima", role: "patient" });
    expect(await staff.socket.waitForType("msg", (m) => m.cid === "b1")).toMatchObject({ c: bo.patient.c, name: "Bo Chen", role: "patient" });
  }
});

it("a staff member's message to a patient reaches every staff page, and one to everyone waiting reaches each as one frame", async () => {
  const { room, host, desk } = await twoStaff();
  const ana = await joinAsPatient(room, "Ana Lima");
  const bo = await joinAsPatient(room, "Bo Chen");

  desk.socket.send({ type: "send", c: ana.patient.c, cid: "d1", text: "Please have your card ready." });
  host.socket.send({ type: "broadcast", cid: "all1", text: "We are running 10 minutes late." });

  expect(await host.socket.waitForType("msg", (m) => m.cid === "d1")).toMatchObject({ c: ana.patient.c, by: desk.id, name: "Sam Reyes", role: "staff" });
  for (const staff of [host, desk]) {
    await staff.socket.waitForType("broadcast", (m) => m.cid === "all1");
    await staff.socket.settle();
    expect(staff.socket.of("broadcast")).toHaveLength(1);
    expect(staff.socket.of("msg").filter((m) => m.cid === "all1")).toEqual([]);
  }
  for (const patient of [ana, bo]) expect(await patient.socket.waitForType("msg", (m) => m.cid === "all1")).toMatchObject({ c: patient.patient.c, all: true });
});

it("a patient sees the name of the staff member who wrote each message, and never the name of staff who did not write to them", async () => {
  const { room, host, desk } = await twoStaff();
  const other = await joinAsStaff(room, { name: "Kim Okafor", role: "staff" });
  const ana = await joinAsPatient(room, "Ana Lima");
  const bo = await joinAsPatient(room, "Bo Chen");

  host.socket.send({ type: "send", c: ana.patient.c, cid: "h1", text: "I'm Dr. Rivera." });
  desk.socket.send({ type: "send", c: ana.patient.c, cid: "d1", text: "And I'm at the front desk." });
  other.socket.send({ type: "send", c: bo.patient.c, cid: "k1", text: "Hello Bo." });
  other.socket.send({ type: "view", c: ana.patient.c });
  await bo.socket.waitForType("msg", (m) => m.cid === "k1");
  await ana.socket.waitForType("msg", (m) => m.cid === "d1");
  await other.socket.waitForType("viewers", (m) => m.c === ana.patient.c);
  await ana.socket.settle();

  expect(ana.socket.of("msg").map((m) => [m.cid, m.by, m.name, m.role])).toEqual([
    ["h1", host.id, "Dr. Rivera", "host"],
    ["d1", desk.id, "Sam Reyes", "staff"],
  ]);
  const seenByAna = ana.socket.raw.join("\n");
  expect(seenByAna).not.toContain("Kim Okafor");
  expect(seenByAna).not.toContain(other.id);
  // Who is signed in and who is reading is for staff pages only.
  for (const type of ["staff_list", "staff_member", "viewers", "queue", "patient"] as const) expect(ana.socket.of(type)).toEqual([]);
});

it("staff see their colleagues arrive, step away and leave", async () => {
  const room = freshRoom();
  const host = await joinAsStaff(room, { name: "Dr. Rivera" });

  const desk = await joinAsStaff(room, { name: "Sam Reyes", role: "staff" });

  expect(await host.socket.waitForType("staff_member", (m) => m.member.id === desk.id)).toEqual({
    type: "staff_member",
    member: { id: desk.id, name: "Sam Reyes", role: "staff", presence: "online" },
  });
  expect((await desk.socket.waitForType("staff_list")).members).toEqual(
    expect.arrayContaining([
      { id: host.id, name: "Dr. Rivera", role: "host", presence: "online" },
      { id: desk.id, name: "Sam Reyes", role: "staff", presence: "online" },
    ]),
  );
  const before = host.socket.mark();
  desk.socket.send({ type: "presence", away: true });
  expect(await host.socket.waitForType("staff_member", (m) => m.member.id === desk.id, { from: before })).toMatchObject({ member: { presence: "away" } });
  desk.socket.send({ type: "presence", away: false });
  await host.socket.waitForType("staff_member", (m) => m.member.id === desk.id && m.member.presence === "online", { from: before });
  desk.socket.close();
  // LEAVE_GRACE_SECONDS is 1 in the test config.
  await host.socket.waitForType("staff_gone", (m) => m.id === desk.id, { timeoutMs: 5_000 });
});

it("viewers frames tell every staff page who has which chat open", async () => {
  const { room, host, desk } = await twoStaff();
  const ana = await joinAsPatient(room, "Ana Lima");
  const c = ana.patient.c;

  host.socket.send({ type: "view", c });
  for (const staff of [host, desk]) expect(await staff.socket.waitForType("viewers", (m) => m.c === c)).toEqual({ type: "viewers", c, staff: [host.id] });
  const both = desk.socket.mark();
  desk.socket.send({ type: "view", c });
  expect((await host.socket.waitForType("viewers", (m) => m.staff.length === 2)).staff.sort()).toEqual([host.id, desk.id].sort());
  host.socket.send({ type: "view", c: null });
  expect(await desk.socket.waitForType("viewers", (m) => m.staff.length === 1, { from: both + 1 })).toEqual({ type: "viewers", c, staff: [desk.id] });
  // A page that closes no longer has anything open.
  desk.socket.close();
  expect(await host.socket.waitForType("viewers", (m) => m.staff.length === 0)).toEqual({ type: "viewers", c, staff: [] });
  // A page that arrives is told who is reading what.
  const reopened = host.socket.mark();
  host.socket.send({ type: "view", c });
  await host.socket.waitForType("viewers", (m) => m.staff.length === 1, { from: reopened });
  const late = await joinAsStaff(room, { name: "Kim Okafor", role: "staff" });
  expect(await late.socket.waitForType("viewers")).toEqual({ type: "viewers", c, staff: [host.id] });
  await ana.socket.settle();
  expect(ana.socket.of("viewers")).toEqual([]);
});

it("closing a chat a colleague is reading erases it for the one who closed it only; the colleague and the patient keep it", async () => {
  const { room, host, desk } = await twoStaff();
  const ana = await joinAsPatient(room, "Ana Lima");
  ana.socket.send({ type: "send", c: ana.patient.c, cid: "a1", text: "My knee hurts." });
  const { seq } = await desk.socket.waitForType("msg", (m) => m.cid === "a1");
  desk.socket.send({ type: "view", c: ana.patient.c });
  await host.socket.waitForType("viewers", (m) => m.staff.includes(desk.id));

  host.socket.send({ type: "close", c: ana.patient.c, upto: seq });

  expect(await host.socket.waitForType("erased")).toEqual({ type: "erased", c: ana.patient.c, upto: seq, mine: true });
  await desk.socket.settle();
  await ana.socket.settle();
  expect(desk.socket.of("erased")).toEqual([]);
  expect(ana.socket.of("erased")).toEqual([]);
  // The colleague closes it too: now it is gone for everyone.
  desk.socket.send({ type: "close", c: ana.patient.c, upto: seq });
  expect(await ana.socket.waitForType("erased")).toEqual({ type: "erased", c: ana.patient.c, upto: seq });
});
