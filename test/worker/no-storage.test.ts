import { runInDurableObject } from "cloudflare:test";
import { afterEach, expect, it, vi } from "vitest";
import { captureConsole, closeAllSockets, freshRoom, joinAsPatient, joinAsStaff, roomStub } from "./helpers";

afterEach(() => {
  closeAllSockets();
  vi.restoreAllMocks();
});

/** A whole visit: check-in, chat both ways, a message to everyone, a staff chat, an erase, a leave. */
async function visit(room: string) {
  const { socket: provider } = await joinAsStaff(room, { name: "Dr. Rivera" });
  const { socket: desk, id: deskId } = await joinAsStaff(room, { name: "Sam Front-Desk", role: "staff" });
  const ana = await joinAsPatient(room, "Ana Lima");
  ana.socket.send({ type: "send", c: ana.patient.c, cid: "a1", text: "chest pain since Tuesday" });
  await provider.waitForType("msg", (m) => m.cid === "a1");
  provider.send({ type: "send", c: ana.patient.c, cid: "p1", text: "please call 911 if it worsens" });
  provider.send({ type: "broadcast", cid: "b1", text: "running late today" });
  await ana.socket.waitForType("msg", (m) => m.cid === "b1");
  provider.send({ type: "direct", with: deskId });
  const { c: direct } = await desk.waitForType("conversation");
  desk.send({ type: "send", c: direct, cid: "d1", text: "the patient in room 3 is upset" });
  await provider.waitForType("msg", (m) => m.cid === "d1");
  provider.send({ type: "close", c: ana.patient.c, upto: Number.MAX_SAFE_INTEGER });
  await ana.socket.waitForType("erased");
  ana.socket.send({ type: "leave" });
  await provider.waitForType("patient_left");
  return { provider, ana };
}

it("after a conversation, the room's Durable Object has nothing in storage and no alarm", async () => {
  const room = freshRoom();
  await visit(room);

  const stored = await runInDurableObject(roomStub(room), async (_instance, state) => ({
    keys: (await state.storage.list()).size,
    alarm: await state.storage.getAlarm(),
  }));

  expect(stored).toEqual({ keys: 0, alarm: null });
});

it("the room's logs carry ids only, never names or message text", async () => {
  const logged = captureConsole();
  const room = freshRoom();

  const { ana } = await visit(room);

  expect(logged.some((line) => line.includes(ana.patient.id))).toBe(true);
  const all = logged.join("\n");
  for (const secret of ["Ana Lima", "Dr. Rivera", "Sam Front-Desk", "chest pain", "911", "running late", "room 3"]) {
    expect(all).not.toContain(secret);
  }
});
