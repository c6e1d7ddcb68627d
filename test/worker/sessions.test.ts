import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, expect, it } from "vitest";
import { CLOSE } from "../../worker/protocol";
import type { Room } from "../../worker/room";
import { closeAllSockets, connect, freshRoom, joinAsPatient, joinAsProvider } from "./helpers";

afterEach(closeAllSockets);

/** A provider and a checked-in patient in a text-only session the provider started. */
async function session(room: string) {
  const { socket: provider } = await joinAsProvider(room, { name: "Dr. Rivera" });
  const ana = await joinAsPatient(room, "Ana Lima");
  await provider.waitForType("patient", (m) => m.patient.id === ana.patient.id);
  const before = Date.now();
  provider.send({ type: "start_session", patient: ana.patient.id });
  const started = await provider.waitForType("session_started");
  return { provider, ana, started, before };
}

it("a whole text-only session: check-in, start, chat both ways, end for everyone", async () => {
  const room = freshRoom();
  const { provider, ana, started, before } = await session(room);

  expect(started).toEqual({
    type: "session_started",
    patient: ana.patient.id,
    session: { id: expect.stringMatching(/^[A-Za-z0-9_-]{22,}$/), startedAt: expect.any(Number) },
  });
  expect(started.session.startedAt).toBeGreaterThanOrEqual(before - 1_000);
  expect(await ana.socket.waitForType("session_started")).toEqual(started);

  ana.socket.send({ type: "send", cid: "a1", text: "Thanks for seeing me." });
  expect(await provider.waitForType("msg", (m) => m.cid === "a1")).toMatchObject({ patient: ana.patient.id, from: "patient" });
  provider.send({ type: "send", cid: "p1", to: ana.patient.id, text: "How are you feeling?" });
  expect(await ana.socket.waitForType("msg", (m) => m.cid === "p1")).toMatchObject({ from: "provider", name: "Dr. Rivera" });

  provider.send({ type: "end_session", patient: ana.patient.id });

  const ended = await provider.waitForType("session_ended");
  expect(ended).toEqual({ type: "session_ended", patient: ana.patient.id, id: started.session.id, endedAt: expect.any(Number) });
  expect(ended.endedAt).toBeGreaterThanOrEqual(started.session.startedAt);
  expect(await ana.socket.waitForClose()).toMatchObject({ code: CLOSE.ended });
  // session_ended reached the patient before the socket closed.
  expect(ana.socket.received.at(-1)).toEqual(ended);
  await provider.settle();
  expect(provider.of("patient_left")).toEqual([]);
});

it("after a session ends, the room has nothing in storage and has forgotten the patient", async () => {
  const room = freshRoom();
  const { provider, ana } = await session(room);
  ana.socket.send({ type: "send", cid: "a1", text: "private symptom" });
  await provider.waitForType("msg", (m) => m.cid === "a1");
  provider.send({ type: "end_session", patient: ana.patient.id });
  await ana.socket.waitForClose();
  await provider.settle();

  const stub = env.ROOMS.get(env.ROOMS.idFromName(room));
  const state = await runInDurableObject(stub, async (instance, state) => ({
    keys: (await state.storage.list()).size,
    alarm: await state.storage.getAlarm(),
    patients: (instance as unknown as { room?: Room }).room?.queue().map((p) => p.id),
  }));

  expect(state).toEqual({ keys: 0, alarm: null, patients: [] });
  provider.send({ type: "send", cid: "late", to: ana.patient.id, text: "Hello?" });
  expect(await provider.waitForType("error")).toMatchObject({ code: "recipient_left", cid: "late" });
});

it("every page the patient has open is closed with 4003 when the session ends", async () => {
  const room = freshRoom();
  const { provider, ana } = await session(room);
  const secondPage = await connect(room, ana.patient.cookie);
  expect((await secondPage.hello()).session).toEqual((await ana.socket.waitForType("session_started")).session);

  provider.send({ type: "end_session", patient: ana.patient.id });

  for (const page of [ana.socket, secondPage]) {
    expect(await page.waitForClose()).toMatchObject({ code: CLOSE.ended });
    expect(page.received.at(-1)?.type).toBe("session_ended");
  }
});

it("the provider's download notice reaches that patient only", async () => {
  const room = freshRoom();
  const { provider, ana } = await session(room);
  const bo = await joinAsPatient(room, "Bo Chen");

  provider.send({ type: "downloaded", patient: ana.patient.id });

  expect(await ana.socket.waitForType("downloaded")).toEqual({ type: "downloaded", patient: ana.patient.id });
  await bo.socket.settle();
  await provider.settle();
  expect(bo.socket.of("downloaded")).toEqual([]);
  expect(provider.of("downloaded")).toEqual([]);
});

it("a patient cannot start or end a session: forbidden, and the socket stays open", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsProvider(room);
  const ana = await joinAsPatient(room, "Ana Lima");

  for (const type of ["start_session", "end_session", "downloaded"]) {
    const from = ana.socket.mark();
    ana.socket.send({ type, patient: ana.patient.id });
    expect(await ana.socket.waitForType("error", () => true, { from })).toMatchObject({ code: "forbidden" });
  }

  ana.socket.send({ type: "send", cid: "a1", text: "Still here" });
  expect(await provider.waitForType("msg", (m) => m.cid === "a1")).toMatchObject({ patient: ana.patient.id });
  expect(provider.of("session_started")).toEqual([]);
  expect(provider.of("session_ended")).toEqual([]);
});
