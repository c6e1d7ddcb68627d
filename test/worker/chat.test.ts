import { afterEach, expect, it } from "vitest";
import { closeAllSockets, freshRoom, joinAsPatient, joinAsStaff } from "./helpers";

afterEach(closeAllSockets);

it("a patient and a host chat both ways, with the server assigning seq, arrival, time, writer, name and role", async () => {
  const room = freshRoom();
  const { socket: host, id: hostId } = await joinAsStaff(room, { name: "Dr. Rivera" });
  const { socket: ana, patient } = await joinAsPatient(room, "Ana Lima");
  const before = Date.now();

  ana.send({ type: "send", c: patient.c, cid: "a1", text: "I'm in the waiting room." });
  const fromAna = await host.waitForType("msg", (m) => m.cid === "a1");
  host.send({ type: "send", c: patient.c, cid: "p1", text: "Thanks, I'll be with you shortly." });
  const fromHost = await ana.waitForType("msg", (m) => m.cid === "p1");

  expect(fromAna).toEqual({
    type: "msg",
    c: patient.c,
    seq: expect.any(Number),
    n: expect.any(Number),
    cid: "a1",
    by: patient.id,
    name: "Ana Lima",
    role: "patient",
    text: "I'm in the waiting room.",
    time: expect.any(Number),
    sig: expect.any(String),
  });
  expect(fromHost).toMatchObject({ c: patient.c, by: hostId, role: "host", name: "Dr. Rivera" });
  expect(fromHost.seq).toBeGreaterThan(fromAna.seq);
  expect(fromHost.n).toBe(fromAna.n + 1);
  expect(fromAna.time).toBeGreaterThanOrEqual(before - 1_000);
  expect(fromHost.time).toBeGreaterThanOrEqual(fromAna.time);
  // Each side also gets its own message back, as the room recorded it.
  expect(await ana.waitForType("msg", (m) => m.cid === "a1")).toEqual(fromAna);
  expect(await host.waitForType("msg", (m) => m.cid === "p1")).toEqual(fromHost);
});

it("a patient cannot claim to be staff: a frame with by, name, role or time is rejected", async () => {
  const room = freshRoom();
  const { socket: host, id: hostId } = await joinAsStaff(room);
  const { socket: ana, patient } = await joinAsPatient(room, "Ana Lima");

  for (const forged of [{ by: hostId }, { name: "Dr. Rivera" }, { role: "host" }, { time: 0 }]) {
    ana.send({ type: "send", c: patient.c, cid: "fake", text: "Your test results are fine", ...forged });
  }

  await ana.settle();
  expect(ana.of("error").map((e) => e.code)).toEqual(["bad_frame", "bad_frame", "bad_frame", "bad_frame"]);
  await host.settle();
  expect(host.of("msg")).toEqual([]);
  expect(ana.of("msg")).toEqual([]);
});

it("a message to everyone waiting reaches each patient in their own conversation, and the staff page as one frame", async () => {
  const room = freshRoom();
  const { socket: host, id: hostId } = await joinAsStaff(room, { name: "Dr. Rivera" });
  const ana = await joinAsPatient(room, "Ana Lima");
  const bo = await joinAsPatient(room, "Bo Chen");

  host.send({ type: "broadcast", cid: "all1", text: "The clinic is running 10 minutes late." });

  for (const { socket, patient } of [ana, bo]) {
    const msg = await socket.waitForType("msg", (m) => m.cid === "all1");
    expect(msg).toMatchObject({ c: patient.c, by: hostId, role: "host", name: "Dr. Rivera", all: true });
  }
  const once = await host.waitForType("broadcast", (m) => m.cid === "all1");
  expect(once).toMatchObject({ by: hostId, name: "Dr. Rivera", all: true, text: "The clinic is running 10 minutes late." });
  expect(once).not.toHaveProperty("c");
  await host.settle();
  expect(host.of("broadcast")).toHaveLength(1);
  expect(host.of("msg")).toEqual([]);
});

it("staff are told plainly when the patient they write to has left", async () => {
  const room = freshRoom();
  const { socket: host } = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  ana.socket.send({ type: "leave" });
  await host.waitForType("patient_left", (m) => m.c === ana.patient.c);

  host.send({ type: "send", c: ana.patient.c, cid: "late", text: "Hello?" });

  expect(await host.waitForType("error")).toMatchObject({ code: "recipient_left", cid: "late", c: ana.patient.c });
});

it("patients see when staff come online and go offline", async () => {
  const room = freshRoom();
  const ana = await joinAsPatient(room, "Ana Lima");
  expect(ana.welcome.staffOnline).toBe(false);

  const { socket: host } = await joinAsStaff(room);
  await ana.socket.waitForType("staff_online", (m) => m.online);
  host.close();

  await ana.socket.waitForType("staff_online", (m) => !m.online);
});
