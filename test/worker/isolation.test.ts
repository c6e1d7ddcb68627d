import { afterEach, expect, it } from "vitest";
import { closeAllSockets, freshRoom, joinAsPatient, joinAsProvider } from "./helpers";

afterEach(closeAllSockets);

it("a patient never receives another patient's messages or name", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsProvider(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  const bo = await joinAsPatient(room, "Bo Zhang-Private");

  bo.socket.send({ type: "send", cid: "b1", text: "My prescription is for oxycodone" });
  await provider.waitForType("msg", (m) => m.cid === "b1");
  provider.send({ type: "send", cid: "p1", to: bo.patient.id, text: "Noted, Bo" });
  await bo.socket.waitForType("msg", (m) => m.cid === "p1");
  bo.socket.send({ type: "leave" });
  await provider.waitForType("patient_left", (m) => m.id === bo.patient.id);
  await ana.socket.settle();

  const seenByAna = ana.socket.raw.join("\n");
  for (const secret of ["Bo Zhang-Private", bo.patient.id, "oxycodone", "Noted, Bo"]) {
    expect(seenByAna).not.toContain(secret);
  }
  expect(ana.socket.of("msg")).toEqual([]);
});

it("a patient cannot reach another patient by naming them as the recipient", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsProvider(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  const bo = await joinAsPatient(room, "Bo Chen");

  ana.socket.send({ type: "send", cid: "a1", to: bo.patient.id, text: "Hi Bo, it's Ana" });

  expect(await provider.waitForType("msg", (m) => m.cid === "a1")).toMatchObject({ patient: ana.patient.id, from: "patient" });
  await bo.socket.settle();
  expect(bo.socket.of("msg")).toEqual([]);
});

it("patients in different rooms never meet", async () => {
  const ana = await joinAsPatient(freshRoom("east"), "Ana Lima");
  const westRoom = freshRoom("west");
  const { socket: westProvider } = await joinAsProvider(westRoom);
  const bo = await joinAsPatient(westRoom, "Bo Chen");

  bo.socket.send({ type: "send", cid: "b1", text: "West only" });
  await westProvider.waitForType("msg", (m) => m.cid === "b1");
  await ana.socket.settle();

  expect(ana.socket.raw.join("\n")).not.toContain("Bo Chen");
  expect(westProvider.of("queue")[0]?.patients.map((p) => p.name)).not.toContain("Ana Lima");
});
