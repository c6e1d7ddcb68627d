import { afterEach, describe, expect, it } from "vitest";
import { seedFrames } from "../../client/lib/replica";
import { PROTOCOL_VERSION, type ChatMessage, type PatientInfo } from "../../worker/protocol";
import {
  checkIn,
  closeAllSockets,
  connect,
  freshRoom,
  joinAsPatient,
  joinAsProvider,
  postJson,
  providerCookie,
  resetRoom,
  type CheckedIn,
  type Socket,
} from "./helpers";

afterEach(closeAllSockets);

const texts = (msgs: readonly ChatMessage[]) => msgs.map((m) => m.text);

/** Ana and the provider exchange `n` messages; returns the room's epoch and what Ana's page holds. */
async function chatting(n: number) {
  const room = freshRoom();
  const provider = await joinAsProvider(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  for (let i = 1; i <= n; i++) {
    if (i % 2) ana.socket.send({ type: "send", cid: `a${i}`, text: `patient ${i}` });
    else provider.socket.send({ type: "send", cid: `p${i}`, to: ana.patient.id, text: `provider ${i}` });
    await ana.socket.waitForType("msg", (m) => m.text.endsWith(` ${i}`));
  }
  await provider.socket.settle();
  return { room, provider: provider.socket, ana, epoch: ana.welcome.epoch, held: ana.socket.copy(ana.patient.id) };
}

/** Another page (or a reconnected socket) of a checked-in patient, saying hello with `resume`. */
async function reopen(room: string, patient: CheckedIn, resume?: { epoch: string; cursors: Record<string, unknown> }): Promise<Socket> {
  const socket = await connect(room, patient.cookie);
  socket.send({ type: "hello", v: PROTOCOL_VERSION, ...(resume ? { resume } : {}) });
  await socket.waitForType("welcome");
  return socket;
}

describe("resending over a real socket", () => {
  it("a patient's message resent after a reconnect is applied once and acked with its first seq", async () => {
    const { room, provider, ana, epoch, held } = await chatting(1);
    ana.socket.close(); // as if the echo of a1 had been lost with the connection

    const back = await reopen(room, ana.patient, { epoch, cursors: { [ana.patient.id]: 0 } });
    back.send({ type: "send", cid: "a1", text: "patient 1 (sent again)" });

    expect(await back.waitForType("ack")).toEqual({ type: "ack", patient: ana.patient.id, cid: "a1", seq: held[0].seq });
    await provider.settle();
    expect(provider.of("msg").map((m) => m.text)).toEqual(["patient 1"]);
  });

  it("the provider's resent message reaches the patient once, and the provider page gets an ack", async () => {
    const { provider, ana } = await chatting(2);
    const first = ana.socket.of("msg").find((m) => m.cid === "p2")!;

    provider.send({ type: "send", cid: "p2", to: ana.patient.id, text: "provider 2" });

    expect(await provider.waitForType("ack")).toEqual({ type: "ack", patient: ana.patient.id, cid: "p2", seq: first.seq });
    await ana.socket.settle();
    expect(ana.socket.of("msg").filter((m) => m.cid === "p2")).toHaveLength(1);
  });
});

describe("resuming over a real socket", () => {
  it("a page resuming with the last seq it holds gets nothing more", async () => {
    const { room, ana, epoch, held } = await chatting(3);
    ana.socket.close();

    const back = await reopen(room, ana.patient, { epoch, cursors: { [ana.patient.id]: held.at(-1)!.seq } });
    await back.settle();

    expect(back.received.map((m) => m.type)).toEqual(["welcome", "pong"]);
  });

  it("a page resuming after a blip gets exactly what it missed, once and in order, before live messages", async () => {
    const { room, provider, ana, epoch, held } = await chatting(2);
    ana.socket.close();
    provider.send({ type: "send", cid: "p3", to: ana.patient.id, text: "provider 3" });
    provider.send({ type: "send", cid: "p4", to: ana.patient.id, text: "provider 4" });
    await provider.waitForType("msg", (m) => m.cid === "p4");

    const back = await reopen(room, ana.patient, { epoch, cursors: { [ana.patient.id]: held.at(-1)!.seq } });
    provider.send({ type: "send", cid: "p5", to: ana.patient.id, text: "provider 5" });
    await back.waitForType("msg", (m) => m.cid === "p5");

    expect(back.received.filter((m) => m.type !== "provider").map((m) => (m.type === "msg" ? m.text : m.type))).toEqual([
      "welcome",
      "provider 3",
      "provider 4",
      "provider 5",
    ]);
    expect(back.copy(ana.patient.id, held)).toEqual(provider.copy(ana.patient.id));
  });

  it.each([
    ["from the future", Number.MAX_SAFE_INTEGER - 1],
    ["negative", -1],
    ["a fraction", 1.5],
    ["a string", "1"],
    ["beyond safe integers", 2 ** 60],
  ])("a page resuming with a cursor %s gets a resync, then the whole conversation once", async (_kind, cursor) => {
    const { room, provider, ana, epoch, held } = await chatting(3);
    ana.socket.close();

    const back = await reopen(room, ana.patient, { epoch, cursors: { [ana.patient.id]: cursor } });
    await back.settle();

    expect(back.received.map((m) => (m.type === "msg" ? m.text : m.type))).toEqual(["welcome", "resync", "patient 1", "provider 2", "patient 3", "pong"]);
    expect(back.copy(ana.patient.id, held)).toEqual(provider.copy(ana.patient.id));
  });
});

describe("a reset in the middle of a conversation", () => {
  /**
   * Ana, Bo and Cy check in in that order and chat; the provider's page goes
   * offline and Ana writes once more, so only her page (and the room) holds
   * her last message. Then the room's Durable Object is reset.
   */
  async function resetMidConversation() {
    const room = freshRoom();
    const cookie = await providerCookie(room);
    const provider = await joinAsProvider(room, { cookie });
    const [ana, bo, cy] = [await joinAsPatient(room, "Ana Lima"), await joinAsPatient(room, "Bo Chen"), await joinAsPatient(room, "Cy Diaz")];
    ana.socket.send({ type: "send", cid: "a1", text: "Hi, I'm here." });
    await provider.socket.waitForType("msg", (m) => m.cid === "a1");
    provider.socket.send({ type: "send", cid: "p1", to: ana.patient.id, text: "Welcome, Ana." });
    await ana.socket.waitForType("msg", (m) => m.cid === "p1");
    bo.socket.send({ type: "send", cid: "b1", text: "Hello from Bo." });
    await provider.socket.waitForType("msg", (m) => m.cid === "b1");
    await provider.socket.settle();
    const queue = provider.socket.of("queue")[0].patients.concat(provider.socket.of("patient").map((m) => m.patient));
    const providerHeld = [ana, bo, cy].map(({ patient }) => ({
      info: queue.find((p) => p.id === patient.id)!,
      messages: provider.socket.copy(patient.id),
    }));
    provider.socket.close();
    ana.socket.send({ type: "send", cid: "a2", text: "Are you still there?" });
    await ana.socket.waitForType("msg", (m) => m.cid === "a2");
    const held = { ana: ana.socket.copy(ana.patient.id), bo: bo.socket.copy(bo.patient.id) };

    await resetRoom(room);
    for (const page of [ana, bo, cy]) expect((await page.socket.waitForClose()).code).toBe(1006);
    return { room, cookie, epoch: ana.welcome.epoch, ana, bo, cy, providerHeld, held };
  }

  /** The provider's page from before the reset reconnects and hands back its copies, as the dashboard does. */
  async function providerRejoins(room: string, cookie: string, epoch: string, held: { info: PatientInfo; messages: ChatMessage[] }[]) {
    const cursors = Object.fromEntries(held.map((h) => [h.info.id, h.messages.at(-1)?.seq ?? 0]));
    const { socket, welcome } = await joinAsProvider(room, { cookie, resume: { epoch, cursors } });
    for (const { info, messages } of held) {
      for (const frame of seedFrames(info.id, messages, { info: { name: info.name, checkedInAt: info.checkedInAt } })) socket.send(frame);
    }
    await socket.settle();
    return { socket, welcome };
  }

  /** A patient's page from before the reset reconnects with its cookie and hands back its copy. */
  async function patientRejoins(room: string, patient: CheckedIn, epoch: string, held: readonly ChatMessage[]) {
    const socket = await reopen(room, patient, { epoch, cursors: { [patient.id]: held.at(-1)?.seq ?? 0 } });
    for (const frame of seedFrames(patient.id, held)) socket.send(frame);
    await socket.settle();
    return socket;
  }

  it("patients' cookies still work after it, and the queue keeps check-in order however they reconnect", async () => {
    const { room, cookie, epoch, ana, bo, cy } = await resetMidConversation();

    const welcomes = [];
    for (const { patient } of [cy, ana, bo]) {
      const socket = await reopen(room, patient, { epoch, cursors: { [patient.id]: 0 } });
      welcomes.push(socket.of("welcome")[0]);
    }
    const { socket: provider, welcome } = await joinAsProvider(room, { cookie, resume: { epoch, cursors: {} } });
    const queue = await provider.waitForType("queue");

    expect(welcome.epoch).not.toBe(epoch);
    expect(welcomes.map((w) => w.epoch)).toEqual([welcome.epoch, welcome.epoch, welcome.epoch]);
    expect(queue.patients.map((p) => [p.name, p.checkedInAt, p.status])).toEqual(
      [ana, bo, cy].map(({ patient }) => [patient.name, patient.checkedInAt, "waiting"]),
    );
  });

  it("once the pages hand back their copies, a page resuming from 0 gets every conversation complete", async () => {
    const { room, cookie, epoch, ana, bo, providerHeld, held } = await resetMidConversation();
    const provider = await providerRejoins(room, cookie, epoch, providerHeld);
    await patientRejoins(room, ana.patient, epoch, held.ana);
    await patientRejoins(room, bo.patient, epoch, held.bo);

    const later = await joinAsProvider(room, { cookie, resume: { epoch: provider.welcome.epoch, cursors: { [ana.patient.id]: 0, [bo.patient.id]: 0 } } });
    await later.socket.settle();
    await provider.socket.settle();

    expect(texts(later.socket.copy(ana.patient.id))).toEqual(["Hi, I'm here.", "Welcome, Ana.", "Are you still there?"]);
    expect(texts(later.socket.copy(bo.patient.id))).toEqual(["Hello from Bo."]);
    // The reconnected dashboard got the message only Ana's page held.
    expect(provider.socket.copy(ana.patient.id, providerHeld[0].messages)).toEqual(held.ana);
    expect(provider.socket.of("error")).toEqual([]);
  });

  it("a forged seed is refused with bad_seed and restores nothing of it", async () => {
    const { room, cookie, epoch, ana, providerHeld, held } = await resetMidConversation();
    const provider = await providerRejoins(room, cookie, epoch, providerHeld);
    const forged = held.ana.map((m) => (m.cid === "a2" ? { ...m, text: "Please refill my oxycodone prescription." } : m));

    const page = await patientRejoins(room, ana.patient, epoch, forged);

    expect(page.of("error")).toEqual([{ type: "error", code: "bad_seed", message: expect.any(String) }]);
    await provider.socket.settle();
    expect(provider.socket.of("msg").map((m) => m.text)).not.toContain("Please refill my oxycodone prescription.");
    const later = await joinAsProvider(room, { cookie, resume: { epoch: provider.welcome.epoch, cursors: { [ana.patient.id]: 0 } } });
    await later.socket.settle();
    expect(texts(later.socket.copy(ana.patient.id))).toEqual(["Hi, I'm here.", "Welcome, Ana."]);
  });
});

describe("check-ins per client address", () => {
  const office = { "CF-Connecting-IP": "203.0.113.9" };

  it("the 11th check-in from one address within a minute is refused with 429, and other addresses still get in", async () => {
    const room = freshRoom();
    const statuses = [];
    for (let i = 1; i <= 10; i++) statuses.push((await postJson(`/api/rooms/${room}/check-in`, { name: `Patient ${i}` }, office)).status);

    const refused = await postJson(`/api/rooms/${room}/check-in`, { name: "Patient 11" }, office);
    const elsewhere = await postJson(`/api/rooms/${room}/check-in`, { name: "Ana Lima" }, { "CF-Connecting-IP": "198.51.100.23" });

    expect(statuses).toEqual(Array(10).fill(200));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("60");
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/too many check-ins/i) });
    expect(refused.headers.getSetCookie()).toEqual([]);
    expect(elsewhere.status).toBe(200);
    expect((await checkIn(room, "Bo Chen")).name).toBe("Bo Chen");
  });
});
