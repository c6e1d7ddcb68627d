import { afterEach, expect, it } from "vitest";
import { closeAllSockets, freshRoom, joinAsPatient, joinAsProvider } from "./helpers";

afterEach(closeAllSockets);

it("a patient and the provider chat both ways, with the server assigning seq, time, name and role", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsProvider(room, { name: "Dr. Rivera" });
  const { socket: ana, patient } = await joinAsPatient(room, "Ana Lima");
  const before = Date.now();

  ana.send({ type: "send", cid: "a1", text: "I'm in the waiting room." });
  const fromAna = await provider.waitForType("msg", (m) => m.cid === "a1");
  provider.send({ type: "send", cid: "p1", to: patient.id, text: "Thanks, I'll be with you shortly." });
  const fromProvider = await ana.waitForType("msg", (m) => m.cid === "p1");

  expect(fromAna).toEqual({
    type: "msg",
    patient: patient.id,
    seq: expect.any(Number),
    cid: "a1",
    from: "patient",
    name: "Ana Lima",
    text: "I'm in the waiting room.",
    time: expect.any(Number),
    sig: expect.any(String),
  });
  expect(fromProvider).toMatchObject({ patient: patient.id, seq: fromAna.seq + 1, from: "provider", name: "Dr. Rivera" });
  expect(fromAna.time).toBeGreaterThanOrEqual(before - 1_000);
  expect(fromProvider.time).toBeGreaterThanOrEqual(fromAna.time);
  // Each side also gets its own message back, as the room recorded it.
  expect(await ana.waitForType("msg", (m) => m.cid === "a1")).toEqual(fromAna);
  expect(await provider.waitForType("msg", (m) => m.cid === "p1")).toEqual(fromProvider);
});

it("a patient cannot claim to be the provider: a frame with from, role or time is rejected", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsProvider(room);
  const { socket: ana } = await joinAsPatient(room, "Ana Lima");

  ana.send({ type: "send", cid: "fake", text: "Your test results are fine", from: "provider", role: "provider", time: 0 });

  expect(await ana.waitForType("error")).toMatchObject({ code: "bad_frame" });
  await ana.settle();
  await provider.settle();
  expect(provider.of("msg")).toEqual([]);
  expect(ana.of("msg")).toEqual([]);
});

it("a broadcast reaches every waiting patient", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsProvider(room, { name: "Dr. Rivera" });
  const ana = await joinAsPatient(room, "Ana Lima");
  const bo = await joinAsPatient(room, "Bo Chen");

  provider.send({ type: "broadcast", cid: "all1", text: "The clinic is running 10 minutes late." });

  for (const { socket, patient } of [ana, bo]) {
    const msg = await socket.waitForType("msg", (m) => m.cid === "all1");
    expect(msg).toMatchObject({ patient: patient.id, from: "provider", name: "Dr. Rivera", broadcast: true });
  }
});

it("the provider is told plainly when the recipient has left", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsProvider(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  ana.socket.send({ type: "leave" });
  await provider.waitForType("patient_left", (m) => m.id === ana.patient.id);

  provider.send({ type: "send", cid: "late", to: ana.patient.id, text: "Hello?" });

  expect(await provider.waitForType("error")).toMatchObject({ code: "recipient_left", cid: "late" });
});

it("patients see when the provider comes online and goes offline", async () => {
  const room = freshRoom();
  const ana = await joinAsPatient(room, "Ana Lima");
  expect(ana.welcome.providerOnline).toBe(false);

  const { socket: provider } = await joinAsProvider(room);
  await ana.socket.waitForType("provider", (m) => m.online);
  provider.close();

  await ana.socket.waitForType("provider", (m) => !m.online);
});
