import { runInDurableObject } from "cloudflare:test";
import { afterEach, expect, it } from "vitest";
import { CLOSE } from "../../protocol/wire";
import type { Room } from "../../worker/room/room";
import { closeAllSockets, connect, freshRoom, joinAsPatient, joinAsStaff, roomStub } from "./helpers";

afterEach(closeAllSockets);

/** A host and a checked-in patient in a text-only session the host started. */
async function session(room: string) {
  const { socket: provider } = await joinAsStaff(room, { name: "Dr. Rivera" });
  const ana = await joinAsPatient(room, "Ana Lima");
  await provider.waitForType("patient", (m) => m.patient.id === ana.patient.id);
  const before = Date.now();
  provider.send({ type: "start_session", c: ana.patient.c });
  const started = await provider.waitForType("session_started");
  return { provider, ana, started, before };
}

it("a whole text-only session: check-in, start, chat both ways, end for everyone", async () => {
  const room = freshRoom();
  const { provider, ana, started, before } = await session(room);

  expect(started).toEqual({
    type: "session_started",
    c: ana.patient.c,
    session: { id: expect.stringMatching(/^[A-Za-z0-9_-]{22,}$/), startedAt: expect.any(Number) },
  });
  expect(started.session.startedAt).toBeGreaterThanOrEqual(before - 1_000);
  expect(await ana.socket.waitForType("session_started")).toEqual(started);

  ana.socket.send({ type: "send", c: ana.patient.c, cid: "a1", text: "Thanks for seeing me." });
  expect(await provider.waitForType("msg", (m) => m.cid === "a1")).toMatchObject({ c: ana.patient.c, role: "patient" });
  provider.send({ type: "send", c: ana.patient.c, cid: "p1", text: "How are you feeling?" });
  expect(await ana.socket.waitForType("msg", (m) => m.cid === "p1")).toMatchObject({ role: "host", name: "Dr. Rivera" });

  provider.send({ type: "end_session", c: ana.patient.c });

  const ended = await provider.waitForType("session_ended");
  expect(ended).toEqual({ type: "session_ended", c: ana.patient.c, id: started.session.id, endedAt: expect.any(Number) });
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
  ana.socket.send({ type: "send", c: ana.patient.c, cid: "a1", text: "private symptom" });
  await provider.waitForType("msg", (m) => m.cid === "a1");
  provider.send({ type: "end_session", c: ana.patient.c });
  await ana.socket.waitForClose();
  await provider.settle();

  const state = await runInDurableObject(roomStub(room), async (instance, state) => ({
    keys: (await state.storage.list()).size,
    alarm: await state.storage.getAlarm(),
    patients: (instance as unknown as { room?: Room }).room?.queueSnapshot().map((p) => p.id),
  }));

  expect(state).toEqual({ keys: 0, alarm: null, patients: [] });
  provider.send({ type: "send", c: ana.patient.c, cid: "late", text: "Hello?" });
  expect(await provider.waitForType("error")).toMatchObject({ code: "recipient_left", cid: "late", c: ana.patient.c });
});

it("every page the patient has open is closed with 4003 when the session ends", async () => {
  const room = freshRoom();
  const { provider, ana } = await session(room);
  const secondPage = await connect(room, ana.patient.cookie);
  expect((await secondPage.hello()).session).toEqual((await ana.socket.waitForType("session_started")).session);

  provider.send({ type: "end_session", c: ana.patient.c });

  for (const page of [ana.socket, secondPage]) {
    expect(await page.waitForClose()).toMatchObject({ code: CLOSE.ended });
    expect(page.received.at(-1)?.type).toBe("session_ended");
  }
});

it("a staff member's download notice reaches that patient only", async () => {
  const room = freshRoom();
  const { provider, ana } = await session(room);
  const bo = await joinAsPatient(room, "Bo Chen");

  provider.send({ type: "downloaded", c: ana.patient.c });

  expect(await ana.socket.waitForType("downloaded")).toEqual({ type: "downloaded", c: ana.patient.c });
  await bo.socket.settle();
  await provider.settle();
  expect(bo.socket.of("downloaded")).toEqual([]);
  expect(provider.of("downloaded")).toEqual([]);
});

it("a patient cannot start or end a session: forbidden, and the socket stays open", async () => {
  const room = freshRoom();
  const { socket: provider } = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");

  for (const type of ["start_session", "end_session", "downloaded"]) {
    const from = ana.socket.mark();
    ana.socket.send({ type, c: ana.patient.c });
    expect(await ana.socket.waitForType("error", () => true, { from })).toMatchObject({ code: "forbidden" });
  }

  ana.socket.send({ type: "send", c: ana.patient.c, cid: "a1", text: "Still here" });
  expect(await provider.waitForType("msg", (m) => m.cid === "a1")).toMatchObject({ c: ana.patient.c });
  expect(provider.of("session_started")).toEqual([]);
  expect(provider.of("session_ended")).toEqual([]);
});
