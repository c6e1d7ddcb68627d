import { afterEach, expect, it } from "vitest";
import { closeAllSockets, freshRoom, joinAsPatient, joinAsStaff } from "./helpers";

afterEach(closeAllSockets);

it("a patient never receives another patient's messages or name", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  const bo = await joinAsPatient(room, "Bo Zhang-Private");

  bo.socket.send({ type: "send", c: bo.patient.c, cid: "b1", text: "My prescription is for oxycodone" });
  await provider.waitForType("msg", (m) => m.cid === "b1");
  provider.send({ type: "send", c: bo.patient.c, cid: "p1", text: "Noted, Bo" });
  await bo.socket.waitForType("msg", (m) => m.cid === "p1");
  bo.socket.send({ type: "leave" });
  await provider.waitForType("patient_left", (m) => m.c === bo.patient.c);
  await ana.socket.settle();

  const seenByAna = ana.socket.raw.join("\n");
  for (const secret of ["Bo Zhang-Private", bo.patient.id, bo.patient.c, "oxycodone", "Noted, Bo"]) {
    expect(seenByAna).not.toContain(secret);
  }
  expect(ana.socket.of("msg")).toEqual([]);
});

it("a patient cannot reach another patient by naming their conversation", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  const bo = await joinAsPatient(room, "Bo Chen");

  ana.socket.send({ type: "send", c: bo.patient.c, cid: "a1", text: "Hi Bo, it's Ana" });
  ana.socket.send({ type: "send", c: ana.patient.c, cid: "a2", text: "Hi Bo, it's Ana", to: bo.patient.id });

  expect(await ana.socket.waitForType("error", (e) => e.cid === "a1")).toMatchObject({ code: "recipient_left" });
  expect(await ana.socket.waitForType("error", (e) => e.code === "bad_frame")).not.toHaveProperty("cid");
  await bo.socket.settle();
  await provider.settle();
  expect(bo.socket.of("msg")).toEqual([]);
  expect(provider.of("msg")).toEqual([]);
});

it("patients in different rooms never meet", async () => {
  const ana = await joinAsPatient(freshRoom("east"), "Ana Lima");
  const westRoom = freshRoom("west");
  const { socket: westProvider } = await joinAsStaff(westRoom);
  const bo = await joinAsPatient(westRoom, "Bo Chen");

  bo.socket.send({ type: "send", c: bo.patient.c, cid: "b1", text: "West only" });
  await westProvider.waitForType("msg", (m) => m.cid === "b1");
  await ana.socket.settle();

  expect(ana.socket.raw.join("\n")).not.toContain("Bo Chen");
  expect(westProvider.of("queue")[0]?.patients.map((p) => p.name)).not.toContain("Ana Lima");
});
