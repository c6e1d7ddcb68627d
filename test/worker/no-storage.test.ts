import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, expect, it, vi } from "vitest";
import { closeAllSockets, freshRoom, joinAsPatient, joinAsProvider } from "./helpers";

afterEach(() => {
  closeAllSockets();
  vi.restoreAllMocks();
});

/** A whole visit: check-in, chat both ways, a broadcast, an erase, a leave. */
async function visit(room: string) {
  const { socket: provider } = await joinAsProvider(room, { name: "Dr. Rivera" });
  const ana = await joinAsPatient(room, "Ana Lima");
  ana.socket.send({ type: "send", cid: "a1", text: "chest pain since Tuesday" });
  await provider.waitForType("msg", (m) => m.cid === "a1");
  provider.send({ type: "send", cid: "p1", to: ana.patient.id, text: "please call 911 if it worsens" });
  provider.send({ type: "broadcast", cid: "b1", text: "running late today" });
  await ana.socket.waitForType("msg", (m) => m.cid === "b1");
  provider.send({ type: "erase", patient: ana.patient.id, upto: 1 });
  await ana.socket.waitForType("erased");
  ana.socket.send({ type: "leave" });
  await provider.waitForType("patient_left");
  return { provider, ana };
}

it("after a conversation, the room's Durable Object has nothing in storage and no alarm", async () => {
  const room = freshRoom();
  await visit(room);

  const stub = env.ROOMS.get(env.ROOMS.idFromName(room));
  const stored = await runInDurableObject(stub, async (_instance, state) => ({
    keys: (await state.storage.list()).size,
    alarm: await state.storage.getAlarm(),
  }));

  expect(stored).toEqual({ keys: 0, alarm: null });
});

it("the room's logs carry ids only, never names or message text", async () => {
  const logged: string[] = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    });
  }
  const room = freshRoom();

  const { ana } = await visit(room);

  expect(logged.some((line) => line.includes(ana.patient.id))).toBe(true);
  const all = logged.join("\n");
  for (const secret of ["Ana Lima", "Dr. Rivera", "chest pain", "911", "running late"]) {
    expect(all).not.toContain(secret);
  }
});
