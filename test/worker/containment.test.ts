/**
 * A failure is contained to its socket: a frame whose handling throws
 * closes that socket only (1011, and the page reconnects), and the room
 * goes on serving everyone else. The failure is injected into the room
 * inside its Durable Object; nothing of the frame reaches a log.
 */
import { runInDurableObject } from "cloudflare:test";
import { afterEach, expect, it, vi } from "vitest";
import { CLOSE } from "../../protocol/wire";
import type { Commands } from "../../worker/room/context";
import { captureConsole, closeAllSockets, connect, freshRoom, joinAsPatient, joinAsStaff, roomStub } from "./helpers";

afterEach(() => {
  closeAllSockets();
  vi.restoreAllMocks();
});

const TRIGGER = `fails-${crypto.randomUUID()}`;

/** Makes the room's handling of a message throw when it carries TRIGGER, as a bug would. */
async function breakSending(room: string): Promise<void> {
  await runInDurableObject(roomStub(room), (instance) => {
    const commands = (instance as unknown as { room: { commands: Commands } }).room.commands;
    const send = commands.send;
    commands.send = (ctx, socket, msg) => {
      if (msg.text.includes(TRIGGER)) throw new Error(`handling failed on ${JSON.stringify(msg)}`);
      send(ctx, socket, msg);
    };
  });
}

it("a patient's frame whose handling throws closes that socket with 1011; everyone else chats on, and the page resumes", async () => {
  const logged = captureConsole();
  const room = freshRoom();
  const host = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  const bo = await joinAsPatient(room, "Bo Chen");
  await breakSending(room);

  ana.socket.send({ type: "send", c: ana.patient.c, cid: "x1", text: `about ${TRIGGER}` });

  expect((await ana.socket.waitForClose()).code).toBe(CLOSE.failed);
  bo.socket.send({ type: "send", c: bo.patient.c, cid: "b1", text: "Still here?" });
  await host.socket.waitForType("msg", (m) => m.cid === "b1");
  host.socket.send({ type: "send", c: bo.patient.c, cid: "h1", text: "Yes." });
  await bo.socket.waitForType("msg", (m) => m.cid === "h1");
  // Ana's page reconnects and resumes: her conversation is intact and she can write.
  const back = await connect(room, ana.patient.cookie);
  await back.hello({ resume: ana.socket.resumeState() });
  back.send({ type: "send", c: ana.patient.c, cid: "a2", text: "Sorry, I was cut off." });
  expect(await host.socket.waitForType("msg", (m) => m.cid === "a2")).toMatchObject({ c: ana.patient.c });
  await host.socket.settle();
  expect(host.socket.of("msg").map((m) => m.cid)).toEqual(["b1", "h1", "a2"]);
  expect(host.socket.of("patient_left")).toEqual([]);
  expect([...logged, ...host.socket.raw, ...bo.socket.raw, ...back.raw].join("\n")).not.toContain(TRIGGER);
});

it("a staff page's frame whose handling throws closes that page only; the other staff page and the patients carry on", async () => {
  const room = freshRoom();
  const host = await joinAsStaff(room);
  const desk = await joinAsStaff(room, { name: "Sam Reyes", role: "staff" });
  const ana = await joinAsPatient(room, "Ana Lima");
  await breakSending(room);

  host.socket.send({ type: "send", c: ana.patient.c, cid: "x1", text: TRIGGER });

  expect((await host.socket.waitForClose()).code).toBe(CLOSE.failed);
  ana.socket.send({ type: "send", c: ana.patient.c, cid: "a1", text: "Hello?" });
  await desk.socket.waitForType("msg", (m) => m.cid === "a1");
  desk.socket.send({ type: "send", c: ana.patient.c, cid: "d1", text: "The doctor will be right back." });
  expect(await ana.socket.waitForType("msg", (m) => m.cid === "d1")).toMatchObject({ name: "Sam Reyes" });
  expect(ana.socket.of("msg").map((m) => m.cid)).not.toContain("x1");
});
