/**
 * Nothing a client sends is echoed into the logs, an error frame or an HTTP
 * error body. Each test sends a fresh canary one way, proves the worker got
 * it (delivered, refused or closed), and then looks for it everywhere.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LIMITS } from "../../protocol/wire";
import { signInvite } from "../../worker/tokens";
import { api, captureConsole, checkIn, closeAllSockets, freshRoom, joinAsPatient, joinAsStaff, postJson, staffCookie } from "./helpers";

let logged: string[];
let canary: string;

beforeEach(() => {
  logged = captureConsole();
  canary = `canary-${crypto.randomUUID()}`;
});

afterEach(() => {
  closeAllSockets();
  vi.restoreAllMocks();
});

/**
 * The canary is in no console line and in none of `answers` (error frames,
 * error bodies, what bystanders received). The console capture is shown to
 * work: it holds the room's audit lines from this exchange.
 */
function expectKeptOut(answers: unknown[], secret = canary): void {
  expect(logged.some((line) => line.startsWith('{"audit"'))).toBe(true);
  expect(logged.join("\n")).not.toContain(secret);
  expect(JSON.stringify(answers)).not.toContain(secret);
}

/** A scheduled-session link for `room` whose window is open now. */
function openInvite(room: string): Promise<string> {
  const start = Date.now();
  return signInvite(env.SESSION_SECRET, room, crypto.randomUUID(), start, start + 30 * 60_000);
}

async function waitingRoom() {
  const room = freshRoom();
  const { socket: provider } = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  return { room, provider, ana };
}

describe("a canary in a chat frame", () => {
  it("in a valid message, either way, is delivered and never logged", async () => {
    const { provider, ana } = await waitingRoom();

    ana.socket.send({ type: "send", c: ana.patient.c, cid: "a1", text: `I take ${canary} daily` });
    expect((await provider.waitForType("msg", (m) => m.cid === "a1")).text).toContain(canary);
    provider.send({ type: "send", c: ana.patient.c, cid: "p1", text: `Stop ${canary} for now` });
    expect((await ana.socket.waitForType("msg", (m) => m.cid === "p1")).text).toContain(canary);

    expect([...ana.socket.of("error"), ...provider.of("error")]).toEqual([]);
    expectKeptOut([]);
  });

  it("in malformed JSON is refused as bad_frame without being echoed", async () => {
    const { provider, ana } = await waitingRoom();
    const frames = [
      `{"type":"send","cid":"c1","text":"${canary}"`,
      canary,
      `{"type":"send","cid":"c2","text":"${canary}",}`,
      `{'type':'send','cid':'c3','text':'${canary}'}`,
      `"${canary}`,
      new TextEncoder().encode(JSON.stringify({ type: "send", cid: "c4", text: canary })),
    ];

    for (const frame of frames) ana.socket.sendRaw(frame);
    await ana.socket.settle();

    expect(ana.socket.of("error").map((e) => e.code)).toEqual(frames.map(() => "bad_frame"));
    await provider.settle();
    expectKeptOut([ana.socket.of("error"), provider.raw]);
  });

  it("in a frame the protocol does not allow (unknown type, extra field, canary as a key) is refused as bad_frame without being echoed", async () => {
    const { provider, ana } = await waitingRoom();
    const frames = [
      { type: canary },
      { type: "shout", text: canary },
      { type: "send", c: ana.patient.c, cid: "c1", text: "Hello", note: canary },
      { type: "ping", [canary]: true },
      { type: "close", c: ana.patient.c, upto: 1, reason: canary },
      { type: "hello", v: canary },
      { type: "send", c: ana.patient.c, cid: canary.repeat(2), text: "Hello" },
      { type: "send", c: canary.repeat(2), cid: "c2", text: "Hello" },
    ];

    for (const frame of frames) ana.socket.send(frame);
    await ana.socket.settle();

    expect(ana.socket.of("error").map((e) => e.code)).toEqual(frames.map(() => "bad_frame"));
    await provider.settle();
    expect(provider.of("msg")).toEqual([]);
    expectKeptOut([ana.socket.of("error"), provider.raw]);
  });

  it(`in a text over ${LIMITS.textChars} characters is refused as bad_text without being echoed`, async () => {
    const { provider, ana } = await waitingRoom();
    const text = canary + "x".repeat(LIMITS.textChars);

    ana.socket.send({ type: "send", c: ana.patient.c, cid: "long", text });
    provider.send({ type: "send", c: ana.patient.c, cid: "long", text });

    expect(await ana.socket.waitForType("error")).toMatchObject({ code: "bad_text", cid: "long" });
    expect(await provider.waitForType("error")).toMatchObject({ code: "bad_text", cid: "long" });
    await ana.socket.settle();
    expect(ana.socket.of("msg")).toEqual([]);
    expectKeptOut([ana.socket.raw, provider.raw]);
  });

  it("in a text of the wrong type is refused as bad_text without echoing the value", async () => {
    const { provider, ana } = await waitingRoom();
    const digits = `7${crypto.getRandomValues(new Uint32Array(1))[0]!.toString().padStart(10, "0")}`;

    ana.socket.sendRaw(`{"type":"send","c":"${ana.patient.c}","cid":"n1","text":${digits}}`);

    expect(await ana.socket.waitForType("error")).toMatchObject({ code: "bad_text", cid: "n1" });
    await provider.settle();
    expectKeptOut([ana.socket.of("error"), provider.raw], digits);
  });

  it(`in a frame over ${LIMITS.frameBytes / 1024} KiB closes that socket with 1009 and is nowhere`, async () => {
    const { provider, ana } = await waitingRoom();

    ana.socket.send({ type: "send", c: ana.patient.c, cid: "huge", text: canary + "z".repeat(LIMITS.frameBytes) });

    expect((await ana.socket.waitForClose()).code).toBe(1009);
    await provider.waitForType("patient", (m) => m.patient.id === ana.patient.id && m.patient.status === "away");
    expectKeptOut([ana.socket.raw, provider.raw]);
  });
});

describe("a canary in a display name", () => {
  it("in a valid name reaches the provider's queue and the patient's page, never a log", async () => {
    const room = freshRoom();
    const { socket: provider } = await joinAsStaff(room);

    const ana = await joinAsPatient(room, `Ana ${canary}`);

    expect(ana.welcome.self.name).toBe(`Ana ${canary}`);
    await provider.waitForType("patient", (m) => m.patient.name === `Ana ${canary}`);
    expectKeptOut([ana.socket.of("error"), provider.of("error")]);
  });

  it("in an invalid name is refused with 400, at check-in and at a scheduled link, without being echoed", async () => {
    const room = freshRoom();
    const invite = await openInvite(room);
    const names = [canary + "x".repeat(LIMITS.nameMax), `${canary}\u0007`, `Ana\n${canary}`, [canary], { first: canary }];
    const bodies: string[] = [];

    for (const name of names) {
      for (const res of [
        await postJson(`/api/rooms/${room}/check-in`, { name }),
        await postJson("/api/invites/join", { name }, { Authorization: `Bearer ${invite}` }),
      ]) {
        expect(res.status).toBe(400);
        bodies.push(await res.text());
      }
    }
    await checkIn(room, "Ana Lima");

    expectKeptOut(bodies);
  });
});

describe("a canary in an HTTP request", () => {
  it("in a body that is not valid JSON is refused with 400 without being echoed", async () => {
    const room = freshRoom();

    const res = await api(`/api/rooms/${room}/check-in`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: `{"name": "${canary}`,
    });

    expect(res.status).toBe(400);
    const body = await res.text();
    await checkIn(room, "Ana Lima");
    expectKeptOut([body]);
  });

  it("in a JSON body that is not an object is refused with 400 without being echoed", async () => {
    const room = freshRoom();
    const invite = await openInvite(room);
    const provider = await staffCookie(room);
    const bodies: string[] = [];

    for (const res of [
      await postJson(`/api/rooms/${room}/check-in`, canary),
      await postJson("/api/invites/join", canary, { Authorization: `Bearer ${invite}` }),
      await postJson("/api/provider/invites", canary, { Cookie: provider }),
    ]) {
      expect(res.status).toBe(400);
      bodies.push(await res.text());
    }
    await checkIn(room, "Ana Lima");

    expectKeptOut(bodies);
  });

  it("in a room id or an API path is refused without being echoed", async () => {
    const loud = canary.toUpperCase();
    const answers = [
      await postJson(`/api/rooms/${loud}/check-in`, { name: "Ana Lima" }),
      await api(`/api/rooms/${canary}_/me`),
      await api(`/api/${canary}`),
    ];

    expect(answers.map((res) => res.status)).toEqual([400, 400, 404]);
    const bodies = await Promise.all(answers.map((res) => res.text()));
    await checkIn(freshRoom(), "Ana Lima");
    expectKeptOut(bodies.map((body) => body.toLowerCase()));
  });
});
