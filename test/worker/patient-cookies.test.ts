/**
 * A patient's cookie opens their own conversation and nothing else, and
 * only while it exists: after "Leave" or the end of their session the room
 * refuses it, and a scheduled session's link admits one person.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { CLOSE } from "../../protocol/wire";
import { PATIENT_SESSION_TTL, signInvite } from "../../worker/tokens";
import { claimsOf, closeAllSockets, connect, cookieFrom, freshRoom, joinAsPatient, joinAsStaff, postJson, type JoinedStaff } from "./helpers";

afterEach(closeAllSockets);

const MINUTE = 60_000;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A scheduled session's link for `room`, open now. */
async function scheduled(room: string) {
  const sid = crypto.randomUUID();
  const start = Date.now() - MINUTE;
  const end = Date.now() + 30 * MINUTE;
  return { sid, end, token: await signInvite(env.SESSION_SECRET, room, sid, start, end) };
}

const join = (token: string, name: string) => postJson("/api/invites/join", { name }, { Authorization: `Bearer ${token}` });

/** Replays `cookie` on a new socket; returns how the room answered the hello and closed it. */
async function replay(room: string, cookie: string) {
  const page = await connect(room, cookie);
  page.send({ type: "hello", v: 2 });
  const closed = await page.waitForClose();
  return { code: closed.code, received: page.received.map((m) => (m.type === "error" ? `${m.code}: ${m.message}` : m.type)) };
}

/** Nothing about the patient `c` reaches the staff page from `from` on. */
async function staffSawNothingOf(staff: JoinedStaff, c: string, from: number): Promise<void> {
  await staff.socket.settle();
  expect(staff.socket.received.slice(from).filter((m) => JSON.stringify(m).includes(c))).toEqual([]);
}

describe("a replayed cookie", () => {
  it("after Leave is refused: the socket closes with 4001, and the queue does not show them again", async () => {
    const room = freshRoom();
    const host = await joinAsStaff(room);
    const ana = await joinAsPatient(room, "Ana Lima");
    ana.socket.send({ type: "leave" });
    await host.socket.waitForType("patient_left", (m) => m.c === ana.patient.c);
    expect((await ana.socket.waitForClose()).code).toBe(CLOSE.left);
    const after = host.socket.mark();

    expect(await replay(room, ana.patient.cookie)).toEqual({ code: CLOSE.left, received: ["forbidden: You are no longer in the waiting room."] });

    await staffSawNothingOf(host, ana.patient.c, after);
    const later = await joinAsStaff(room, { name: "Sam Reyes", role: "staff" });
    expect((await later.socket.waitForType("queue")).patients).toEqual([]);
  });

  it("after a text-only session ended is refused: the socket closes with 4003", async () => {
    const room = freshRoom();
    const host = await joinAsStaff(room);
    const ana = await joinAsPatient(room, "Ana Lima");
    host.socket.send({ type: "start_session", c: ana.patient.c });
    await ana.socket.waitForType("session_started");
    host.socket.send({ type: "end_session", c: ana.patient.c });
    expect((await ana.socket.waitForClose()).code).toBe(CLOSE.ended);
    const after = host.socket.mark();

    expect(await replay(room, ana.patient.cookie)).toEqual({ code: CLOSE.ended, received: ["forbidden: This session has ended."] });

    await staffSawNothingOf(host, ana.patient.c, after);
  });

  it("after a scheduled session ended is refused: the socket closes with 4003, and the link is over", async () => {
    const room = freshRoom();
    const host = await joinAsStaff(room);
    const { token } = await scheduled(room);
    const res = await join(token, "Ana Lima");
    const cookie = cookieFrom(res, "qc_patient");
    const page = await connect(room, cookie);
    const { c } = await page.hello();
    host.socket.send({ type: "end_session", c: c! });
    expect((await page.waitForClose()).code).toBe(CLOSE.ended);

    expect(await replay(room, cookie)).toEqual({ code: CLOSE.ended, received: ["forbidden: This session has ended."] });
    const again = await join(token, "Ana Lima");
    expect(again.status).toBe(410);
    expect(await again.json()).toEqual({ error: "This session has ended." });
    expect(again.headers.getSetCookie()).toEqual([]);
  });

  it("on a second page while the first is open joins the same conversation, and only that", async () => {
    const room = freshRoom();
    await joinAsStaff(room);
    const ana = await joinAsPatient(room, "Ana Lima");

    const second = await connect(room, ana.patient.cookie);
    const welcome = await second.hello();

    expect(welcome).toMatchObject({ c: ana.patient.c, self: { id: ana.patient.id, name: "Ana Lima", role: "patient" } });
  });
});

describe("a scheduled session's link", () => {
  it("admits one person: a second join gets 409 with a plain message and no cookie", async () => {
    const room = freshRoom();
    const host = await joinAsStaff(room);
    const { token } = await scheduled(room);
    const first = await join(token, "Ana Lima");
    expect(first.status).toBe(200);

    const second = await join(token, "Someone Else");

    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({ error: "This session link has already been used. Please ask your clinic for a new one." });
    expect(second.headers.getSetCookie()).toEqual([]);
    await host.socket.settle();
    expect(JSON.stringify(host.socket.received)).not.toContain("Someone Else");
    // The one it admitted still gets in with their cookie.
    const page = await connect(room, cookieFrom(first, "qc_patient"));
    expect((await page.hello()).self.name).toBe("Ana Lima");
  });

  it("gives a cookie that expires with the session window, while a walk-in's lasts the day", async () => {
    const room = freshRoom();
    const { sid, end, token } = await scheduled(room);

    const joined = claimsOf(cookieFrom(await join(token, "Ana Lima"), "qc_patient"));
    const walkIn = claimsOf(cookieFrom(await postJson(`/api/rooms/${room}/check-in`, { name: "Bo Chen" }), "qc_patient"));

    expect(joined).toMatchObject({ kind: "patient", room, sid, exp: Math.ceil(end / 1000) });
    expect(walkIn).not.toHaveProperty("sid");
    expect(walkIn.exp).toBeGreaterThanOrEqual(nowSeconds() + PATIENT_SESSION_TTL - 5);
  });
});
