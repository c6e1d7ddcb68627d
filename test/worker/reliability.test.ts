import { afterEach, describe, expect, it } from "vitest";
import { seedFrames } from "../../client/room/replica";
import { PROTOCOL_VERSION, type ChatMessage, type QueueEntry } from "../../protocol/wire";
import {
  checkIn,
  closeAllSockets,
  connect,
  freshRoom,
  joinAsPatient,
  joinAsStaff,
  postJson,
  resetRoom,
  staffCookie,
  type CheckedIn,
  type Resume,
  type Socket,
} from "./helpers";

afterEach(closeAllSockets);

const texts = (msgs: readonly ChatMessage[]) => msgs.map((m) => m.text);
/** A message without its arrival number, which belongs to one room instance. */
const record = ({ n: _n, ...rest }: ChatMessage) => rest;

/** Ana and a host exchange `n` messages; returns what Ana's page holds and would resume with. */
async function chatting(n: number) {
  const room = freshRoom();
  const host = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  for (let i = 1; i <= n; i++) {
    if (i % 2) ana.socket.send({ type: "send", c: ana.patient.c, cid: `a${i}`, text: `patient ${i}` });
    else host.socket.send({ type: "send", c: ana.patient.c, cid: `p${i}`, text: `host ${i}` });
    await ana.socket.waitForType("msg", (m) => m.text.endsWith(` ${i}`));
  }
  await host.socket.settle();
  return { room, host: host.socket, ana, resume: ana.socket.resumeState(), held: ana.socket.copy(ana.patient.c) };
}

/** Another socket of a checked-in patient's page, saying hello with `resume` (or as a new page load without). */
async function reopen(room: string, patient: CheckedIn, resume?: Resume): Promise<Socket> {
  const socket = await connect(room, patient.cookie);
  await socket.hello(resume ? { resume } : {});
  return socket;
}

describe("resending over a real socket", () => {
  it("a patient's message resent after a reconnect is applied once and acked with its first seq", async () => {
    const { room, host, ana, resume, held } = await chatting(1);
    ana.socket.close(); // as if the echo of a1 had been lost with the connection

    const back = await reopen(room, ana.patient, { ...resume, n: 0 });
    back.send({ type: "send", c: ana.patient.c, cid: "a1", text: "patient 1 (sent again)" });

    expect(await back.waitForType("ack")).toEqual({ type: "ack", c: ana.patient.c, cid: "a1", seq: held[0]!.seq });
    await host.settle();
    expect(host.of("msg").map((m) => m.text)).toEqual(["patient 1"]);
  });

  it("a host's resent message reaches the patient once, and the host's page gets an ack", async () => {
    const { host, ana } = await chatting(2);
    const first = ana.socket.of("msg").find((m) => m.cid === "p2")!;

    host.send({ type: "send", c: ana.patient.c, cid: "p2", text: "host 2" });

    expect(await host.waitForType("ack")).toEqual({ type: "ack", c: ana.patient.c, cid: "p2", seq: first.seq });
    await ana.socket.settle();
    expect(ana.socket.of("msg").filter((m) => m.cid === "p2")).toHaveLength(1);
  });
});

describe("resuming over a real socket", () => {
  it("a page resuming with the last arrival it holds gets nothing more", async () => {
    const { room, ana, resume } = await chatting(3);
    ana.socket.close();

    const back = await reopen(room, ana.patient, resume);
    await back.settle();

    expect(back.received.map((m) => m.type)).toEqual(["welcome", "pong"]);
  });

  it("a page resuming after a blip gets exactly what it missed, once and in order, before live messages", async () => {
    const { room, host, ana, resume, held } = await chatting(2);
    ana.socket.close();
    host.send({ type: "send", c: ana.patient.c, cid: "p3", text: "host 3" });
    host.send({ type: "send", c: ana.patient.c, cid: "p4", text: "host 4" });
    await host.waitForType("msg", (m) => m.cid === "p4");

    const back = await reopen(room, ana.patient, resume);
    host.send({ type: "send", c: ana.patient.c, cid: "p5", text: "host 5" });
    await back.waitForType("msg", (m) => m.cid === "p5");

    expect(back.received.filter((m) => m.type !== "staff_online").map((m) => (m.type === "msg" ? m.text : m.type))).toEqual(["welcome", "host 3", "host 4", "host 5"]);
    expect(back.copy(ana.patient.c, held)).toEqual(host.copy(ana.patient.c));
  });

  it.each([
    ["far in the future", Number.MAX_SAFE_INTEGER - 1],
    ["just past the room's last", 4],
  ])("a page resuming from an arrival %s gets a resync, then the whole conversation once", async (_kind, n) => {
    const { room, host, ana, resume, held } = await chatting(3);
    ana.socket.close();

    const back = await reopen(room, ana.patient, { ...resume, n });
    await back.settle();

    expect(back.received.map((m) => (m.type === "msg" ? m.text : m.type))).toEqual(["welcome", "resync", "patient 1", "host 2", "patient 3", "pong"]);
    expect(back.copy(ana.patient.c, held)).toEqual(host.copy(ana.patient.c));
  });

  it.each([
    ["negative", -1],
    ["a fraction", 1.5],
    ["a string", "1"],
    ["beyond safe integers", 2 ** 60],
  ])("a hello resuming from an arrival that is %s is refused as bad_frame, and a proper hello still works", async (_kind, n) => {
    const { room, ana, resume } = await chatting(1);
    ana.socket.close();
    const socket = await connect(room, ana.patient.cookie);

    socket.send({ type: "hello", v: PROTOCOL_VERSION, resume: { ...resume, n } });

    expect(await socket.waitForType("error")).toMatchObject({ code: "bad_frame" });
    expect(socket.of("welcome")).toEqual([]);
    await socket.hello({ resume });
  });

  it("a hello whose pass is not the room's is a new page load: it starts empty", async () => {
    const { room, ana, resume } = await chatting(3);
    ana.socket.close();
    const [page, floor] = resume.pass.split(".");

    for (const pass of [`${page}.0.forged`, `${page}.${Number(floor) - 1}.${resume.pass.split(".")[2]}`, "", "a.b.c.d"]) {
      const back = await reopen(room, ana.patient, { ...resume, pass, n: 0 });
      await back.settle();
      expect(back.of("msg")).toEqual([]);
      back.close();
    }
  });
});

describe("a reset in the middle of a conversation", () => {
  /**
   * Ana, Bo and Cy check in in that order and chat; the host's page goes
   * offline and Ana writes once more, so only her page (and the room) holds
   * her last message. Then the room's Durable Object is reset.
   */
  async function resetMidConversation() {
    const room = freshRoom();
    const cookie = await staffCookie(room);
    const host = await joinAsStaff(room, { cookie });
    const [ana, bo, cy] = [await joinAsPatient(room, "Ana Lima"), await joinAsPatient(room, "Bo Chen"), await joinAsPatient(room, "Cy Diaz")];
    ana.socket.send({ type: "send", c: ana.patient.c, cid: "a1", text: "Hi, I'm here." });
    await host.socket.waitForType("msg", (m) => m.cid === "a1");
    host.socket.send({ type: "send", c: ana.patient.c, cid: "p1", text: "Welcome, Ana." });
    await ana.socket.waitForType("msg", (m) => m.cid === "p1");
    bo.socket.send({ type: "send", c: bo.patient.c, cid: "b1", text: "Hello from Bo." });
    await host.socket.waitForType("msg", (m) => m.cid === "b1");
    await host.socket.settle();
    const queue = host.socket.of("queue")[0]!.patients.concat(host.socket.of("patient").map((m) => m.patient));
    const hostHeld = [ana, bo, cy].map(({ patient }) => ({
      entry: queue.find((p) => p.id === patient.id)!,
      messages: host.socket.copy(patient.c),
    }));
    const hostResume = host.socket.resumeState();
    host.socket.close();
    ana.socket.send({ type: "send", c: ana.patient.c, cid: "a2", text: "Are you still there?" });
    await ana.socket.waitForType("msg", (m) => m.cid === "a2");
    for (const page of [bo, cy]) await page.socket.settle();
    const held = { ana: ana.socket.copy(ana.patient.c), bo: bo.socket.copy(bo.patient.c) };
    const resume = { ana: ana.socket.resumeState(), bo: bo.socket.resumeState(), cy: cy.socket.resumeState() };

    await resetRoom(room);
    for (const page of [ana, bo, cy]) expect((await page.socket.waitForClose()).code).toBe(1006);
    return { room, cookie, epoch: ana.welcome.epoch, ana, bo, cy, hostHeld, hostResume, held, resume };
  }

  /** The host's page from before the reset reconnects and hands back its copies, as the dashboard does. */
  async function hostRejoins(room: string, cookie: string, resume: Resume, held: { entry: QueueEntry; messages: ChatMessage[] }[]) {
    const joined = await joinAsStaff(room, { cookie, resume });
    for (const { entry, messages } of held) {
      const patient = { id: entry.id, name: entry.name, checkedInAt: entry.checkedInAt };
      for (const frame of seedFrames(entry.c, messages, { patient })) joined.socket.send(frame);
    }
    await joined.socket.settle();
    return joined;
  }

  /** A patient's page from before the reset reconnects with its cookie and hands back its copy. */
  async function patientRejoins(room: string, patient: CheckedIn, resume: Resume, held: readonly ChatMessage[]) {
    const socket = await reopen(room, patient, resume);
    for (const frame of seedFrames(patient.c, held)) socket.send(frame);
    await socket.settle();
    return socket;
  }

  it("patients' cookies still work after it, and the queue keeps check-in order however they reconnect", async () => {
    const { room, cookie, epoch, ana, bo, cy, resume, hostResume } = await resetMidConversation();

    const welcomes = [];
    for (const [{ patient }, state] of [[cy, resume.cy], [ana, resume.ana], [bo, resume.bo]] as const) {
      const socket = await reopen(room, patient, state);
      welcomes.push(socket.of("welcome")[0]!);
    }
    const { socket: host, welcome } = await joinAsStaff(room, { cookie, resume: hostResume });
    const queue = await host.waitForType("queue");

    expect(welcome.epoch).not.toBe(epoch);
    expect(welcomes.map((w) => w.epoch)).toEqual([welcome.epoch, welcome.epoch, welcome.epoch]);
    expect(welcomes.map((w) => w.c)).toEqual([cy.patient.c, ana.patient.c, bo.patient.c]);
    expect(queue.patients.map((p) => [p.name, p.c, p.checkedInAt, p.status])).toEqual(
      [ana, bo, cy].map(({ patient }) => [patient.name, patient.c, patient.checkedInAt, "waiting"]),
    );
  });

  it("once the pages hand back their copies, a page resuming from 0 gets every conversation complete", async () => {
    const { room, cookie, ana, bo, hostHeld, hostResume, held, resume } = await resetMidConversation();
    const host = await hostRejoins(room, cookie, hostResume, hostHeld);
    await patientRejoins(room, ana.patient, resume.ana, held.ana);
    await patientRejoins(room, bo.patient, resume.bo, held.bo);

    await host.socket.settle();
    // The reconnected dashboard got the message only Ana's page held.
    expect(host.socket.copy(ana.patient.c, hostHeld[0]!.messages).map(record)).toEqual(held.ana.map(record));
    expect(host.socket.of("error")).toEqual([]);

    // The same page, its socket dropped again, resumes from 0 (a page resuming replaces its earlier socket).
    host.socket.close();
    const later = await joinAsStaff(room, { cookie, resume: { pass: host.welcome.pass, epoch: host.welcome.epoch, n: 0 } });
    await later.socket.settle();

    expect(texts(later.socket.copy(ana.patient.c))).toEqual(["Hi, I'm here.", "Welcome, Ana.", "Are you still there?"]);
    expect(texts(later.socket.copy(bo.patient.c))).toEqual(["Hello from Bo."]);
  });

  it("a forged seed is refused with bad_seed and restores nothing of it", async () => {
    const { room, cookie, ana, hostHeld, hostResume, held, resume } = await resetMidConversation();
    const host = await hostRejoins(room, cookie, hostResume, hostHeld);
    const forged = held.ana.map((m) => (m.cid === "a2" ? { ...m, text: "Please refill my oxycodone prescription." } : m));

    const page = await patientRejoins(room, ana.patient, resume.ana, forged);

    expect(page.of("error")).toEqual([{ type: "error", code: "bad_seed", message: expect.any(String), c: ana.patient.c }]);
    await host.socket.settle();
    expect(host.socket.of("msg").map((m) => m.text)).not.toContain("Please refill my oxycodone prescription.");
    const later = await joinAsStaff(room, { cookie, resume: { pass: host.welcome.pass, epoch: host.welcome.epoch, n: 0 } });
    await later.socket.settle();
    expect(texts(later.socket.copy(ana.patient.c))).toEqual(["Hi, I'm here.", "Welcome, Ana."]);
  });
});

describe("a staff group across a reset", () => {
  /** A host and a colleague in a group with a message each; then the room's Durable Object is reset. */
  async function groupThenReset() {
    const room = freshRoom();
    const host = await joinAsStaff(room);
    const desk = await joinAsStaff(room, { name: "Sam Reyes", role: "staff" });
    host.socket.send({ type: "create_group", cid: "g1", title: "Morning shift", members: [desk.id] });
    const { type: _, ...meta } = await desk.socket.waitForType("conversation");
    desk.socket.send({ type: "send", c: meta.c, cid: "d1", text: "Room 2 is ready." });
    await host.socket.waitForType("msg", (m) => m.cid === "d1");
    host.socket.send({ type: "send", c: meta.c, cid: "h1", text: "Thanks, sending the next one." });
    await desk.socket.waitForType("msg", (m) => m.cid === "h1");
    await host.socket.settle();
    const held = { host: host.socket.copy(meta.c), desk: desk.socket.copy(meta.c) };
    const resume = { host: host.socket.resumeState(), desk: desk.socket.resumeState() };
    await resetRoom(room);
    for (const page of [host, desk]) expect((await page.socket.waitForClose()).code).toBe(1006);
    return { room, host, desk, meta, held, resume };
  }

  it("comes back from its members' pages: its signed description and its messages, and it goes on", async () => {
    const { room, host, desk, meta, held, resume } = await groupThenReset();

    const hostBack = await joinAsStaff(room, { cookie: host.cookie, resume: resume.host });
    for (const frame of seedFrames(meta.c, held.host, { meta })) hostBack.socket.send(frame);
    await hostBack.socket.settle();
    const deskBack = await joinAsStaff(room, { cookie: desk.cookie, resume: resume.desk });
    for (const frame of seedFrames(meta.c, held.desk, { meta })) deskBack.socket.send(frame);
    await deskBack.socket.settle();

    expect(await deskBack.socket.waitForType("conversation", (m) => m.c === meta.c)).toMatchObject({ kind: "group", title: "Morning shift", owner: host.id });
    expect(texts(deskBack.socket.copy(meta.c, held.desk))).toEqual(["Room 2 is ready.", "Thanks, sending the next one."]);
    expect([...hostBack.socket.of("error"), ...deskBack.socket.of("error")]).toEqual([]);
    deskBack.socket.send({ type: "send", c: meta.c, cid: "d2", text: "Next one is in." });
    expect(await hostBack.socket.waitForType("msg", (m) => m.cid === "d2")).toMatchObject({ c: meta.c, name: "Sam Reyes" });
  });

  it("a description changed by a page (a member added) is refused with bad_seed and restores nothing", async () => {
    const { room, host, desk, meta, held, resume } = await groupThenReset();
    const outsider = await joinAsStaff(room, { name: "Lee Park", role: "staff" });
    const tampered = { ...meta, members: [...meta.members, { id: outsider.id, name: "Lee Park", role: "staff" as const }] };

    const deskBack = await joinAsStaff(room, { cookie: desk.cookie, resume: resume.desk });
    for (const frame of seedFrames(meta.c, held.desk, { meta: tampered })) deskBack.socket.send(frame);
    await deskBack.socket.settle();

    expect(deskBack.socket.of("error")).toEqual([expect.objectContaining({ code: "bad_seed", c: meta.c })]);
    await outsider.socket.settle();
    expect(outsider.socket.of("conversation")).toEqual([]);
    expect(outsider.socket.texts()).toEqual([]);
    // The host's genuine copy still restores it, for its real members only.
    const hostBack = await joinAsStaff(room, { cookie: host.cookie, resume: resume.host });
    for (const frame of seedFrames(meta.c, held.host, { meta })) hostBack.socket.send(frame);
    await hostBack.socket.settle();
    expect((await deskBack.socket.waitForType("conversation", (m) => m.c === meta.c)).members.map((m) => m.id)).toEqual([host.id, desk.id]);
    await outsider.socket.settle();
    expect(outsider.socket.of("conversation")).toEqual([]);
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
