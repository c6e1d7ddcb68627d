import { afterEach, expect, it } from "vitest";
import { checkIn, closeAllSockets, connect, freshRoom, joinAsPatient, joinAsStaff } from "./helpers";

afterEach(closeAllSockets);

it("a staff dashboard opens with the queue in check-in order", async () => {
  const room = freshRoom();
  const ana = await joinAsPatient(room, "Ana Lima");
  const bo = await joinAsPatient(room, "Bo Chen");

  const { socket: provider } = await joinAsStaff(room);

  const queue = await provider.waitForType("queue");
  expect(queue.patients.map((p) => [p.c, p.id, p.name, p.status])).toEqual([
    [ana.patient.c, ana.patient.id, "Ana Lima", "waiting"],
    [bo.patient.c, bo.patient.id, "Bo Chen", "waiting"],
  ]);
  expect(queue.patients[0]!.checkedInAt).toBeLessThanOrEqual(queue.patients[1]!.checkedInAt);
});

it("the queue updates live as patients check in and leave", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsStaff(room);

  const ana = await joinAsPatient(room, "Ana Lima");
  const arrived = await provider.waitForType("patient", (m) => m.patient.id === ana.patient.id);
  expect(arrived.patient).toMatchObject({ c: ana.patient.c, name: "Ana Lima", status: "waiting" });

  ana.socket.send({ type: "leave" });

  await provider.waitForType("patient_left", (m) => m.c === ana.patient.c);
  expect((await ana.socket.waitForClose()).code).toBe(4001);
});

it("a patient whose connection drops shows as away, then leaves the queue after the grace period", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsStaff(room);
  const bo = await joinAsPatient(room, "Bo Chen");

  bo.socket.close();

  await provider.waitForType("patient", (m) => m.patient.id === bo.patient.id && m.patient.status === "away");
  // LEAVE_GRACE_SECONDS is 1 in the test config.
  await provider.waitForType("patient_left", (m) => m.c === bo.patient.c, { timeoutMs: 5_000 });
});

it("a patient who reconnects is shown as waiting again and keeps their check-in time", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsStaff(room);
  const cy = await checkIn(room, "Cy Diaz");
  const first = await connect(room, cy.cookie);
  await first.hello();

  first.close();
  await provider.waitForType("patient", (m) => m.patient.id === cy.id && m.patient.status === "away");
  const afterAway = provider.mark();
  const second = await connect(room, cy.cookie);
  await second.hello();

  const back = await provider.waitForType("patient", (m) => m.patient.id === cy.id, { from: afterAway });
  expect(back.patient).toEqual({ c: cy.c, id: cy.id, name: "Cy Diaz", checkedInAt: cy.checkedInAt, status: "waiting" });
});
