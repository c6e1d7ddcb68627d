import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { randomId } from "../../worker/ids";
import { signInvite, signPatient, signStaffLink } from "../../worker/tokens";
import { ORIGIN, api, closeAllSockets, connect, cookieFrom, freshRoom, joinAsStaff, postJson, staffCookie } from "./helpers";

afterEach(closeAllSockets);

const MINUTE = 60_000;

/** A scheduled-session token for `room` whose window starts `startIn` ms from now. */
function invite(room: string, startIn: number, minutes = 30): Promise<string> {
  const start = Date.now() + startIn;
  return signInvite(env.SESSION_SECRET, room, crypto.randomUUID(), start, start + minutes * MINUTE);
}

/** What anyone holding a link can read from it: the token's payload, base64url-decoded (no secret needed). */
function readableFrom(link: string): Record<string, unknown> {
  const payload = link.split("#t=")[1]!.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
}

/** A patient's token, as check-in makes it. */
const patientToken = (room: string) => signPatient(env.SESSION_SECRET, { room, id: randomId(), c: randomId(), name: "Ana Lima", checkedInAt: Date.now() });

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const inspect = (token: string) => api("/api/invites/inspect", { method: "POST", headers: bearer(token) });
const join = (token: string, name: unknown) => postJson("/api/invites/join", { name }, bearer(token));

describe("creating a scheduled session link", () => {
  it("a signed-in host gets a /join link for their room carrying the window", async () => {
    const room = freshRoom();
    const cookie = await staffCookie(room);
    const start = Date.now() + 60 * MINUTE;

    const res = await postJson("/api/provider/invites", { start, minutes: 45 }, { Cookie: cookie });

    expect(res.status).toBe(200);
    const body = await res.json<{ link: string; start: number; end: number }>();
    expect(body).toEqual({ link: expect.stringMatching(new RegExp(`^${ORIGIN}/join#t=`)), start, end: start + 45 * MINUTE });
    const token = body.link.split("#t=")[1]!;
    const inspected = await inspect(token);
    expect(inspected.status).toBe(200);
    expect(await inspected.json()).toMatchObject({ room, start, end: start + 45 * MINUTE, state: "early" });
  });

  it("a link holds no label and no name: decoded, it carries only the room, the session and the window", async () => {
    const room = freshRoom();
    const cookie = await staffCookie(room, "Dr. Rivera");
    const start = Date.now() + 60 * MINUTE;

    // A label, as the dashboard used to send it: the patient's name.
    const res = await postJson("/api/provider/invites", { start, minutes: 30, label: "Grace Hopper" }, { Cookie: cookie });

    expect(res.status).toBe(200);
    const answer = await res.text();
    const { link } = JSON.parse(answer) as { link: string };
    const readable = readableFrom(link);
    expect(Object.keys(readable).sort()).toEqual(["end", "kind", "room", "sid", "start"]);
    expect(readable).toMatchObject({ kind: "invite", room, start, end: start + 30 * MINUTE });
    const answers = JSON.stringify([readable, answer, await (await inspect(link.split("#t=")[1]!)).json()]);
    for (const personal of ["Grace", "Hopper", "Rivera", "label"]) expect(answers).not.toContain(personal);
  });

  it("every link is for a different session", async () => {
    const room = freshRoom();
    const cookie = await staffCookie(room);
    const body = { start: Date.now(), minutes: 30 };

    const [a, b] = await Promise.all([1, 2].map(async () => {
      const res = await postJson("/api/provider/invites", body, { Cookie: cookie });
      return (await res.json<{ link: string }>()).link;
    }));

    expect(a).not.toBe(b);
  });

  it("without the staff cookie, creating a link is refused with 401", async () => {
    const res = await postJson("/api/provider/invites", { start: Date.now(), minutes: 30 });

    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: expect.any(String) });
  });

  it("a patient's cookie cannot create a link", async () => {
    const room = freshRoom();
    const token = await patientToken(room);

    const res = await postJson("/api/provider/invites", { start: Date.now(), minutes: 30 }, { Cookie: `qc_staff=${token}` });

    expect(res.status).toBe(401);
  });

  it.each([
    ["shorter than 5 minutes", { minutes: 4 }, "Sessions last at least 5 minutes."],
    ["longer than 8 hours", { minutes: 481 }, "Sessions last at most 8 hours."],
  ])("a session %s is refused with 400 and a clear message", async (_case, override, error) => {
    const cookie = await staffCookie(freshRoom());

    const res = await postJson("/api/provider/invites", { start: Date.now() + MINUTE, ...override }, { Cookie: cookie });

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error });
  });

  it("a window that is already over is refused with 400 and a clear message", async () => {
    const cookie = await staffCookie(freshRoom());

    const res = await postJson("/api/provider/invites", { start: Date.now() - 2 * 60 * MINUTE, minutes: 60 }, { Cookie: cookie });

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "That time window is already over. Choose a later start." });
  });

  it("a window that started but is not over yet is accepted", async () => {
    const cookie = await staffCookie(freshRoom());

    const res = await postJson("/api/provider/invites", { start: Date.now() - 10 * MINUTE, minutes: 30 }, { Cookie: cookie });

    expect(res.status).toBe(200);
  });

  it("a link without a start or duration is refused with 400", async () => {
    const cookie = await staffCookie(freshRoom());

    for (const body of [{ minutes: 30 }, { start: Date.now() }, { start: "tomorrow", minutes: 30 }]) {
      const res = await postJson("/api/provider/invites", body, { Cookie: cookie });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: expect.any(String) });
    }
  });
});

describe("inspecting a link", () => {
  it.each([
    ["early, more than 5 minutes before the start", 10 * MINUTE, 30, "early"],
    ["open, within 5 minutes of the start", 4 * MINUTE, 30, "open"],
    ["open, after the start and before the end", -10 * MINUTE, 30, "open"],
    ["expired, after the end", -40 * MINUTE, 30, "expired"],
  ])("a link is %s", async (_case, startIn, minutes, state) => {
    const room = freshRoom();
    const token = await invite(room, startIn, minutes);

    const res = await inspect(token);

    expect(res.status).toBe(200);
    const body = await res.json<{ start: number; end: number; now: number }>();
    expect(body).toEqual({ room, start: expect.any(Number), end: expect.any(Number), state, now: expect.any(Number) });
    expect(body.end - body.start).toBe(minutes * MINUTE);
    expect(Math.abs(body.now - Date.now())).toBeLessThan(5_000);
  });

  it("inspecting creates nothing in the room: staff see no patient", async () => {
    const room = freshRoom();
    const { socket: provider } = await joinAsStaff(room);

    await inspect(await invite(room, 0));

    await provider.settle();
    expect(provider.of("patient")).toEqual([]);
  });

  it.each([
    ["signed with another secret", () => signInvite("some-other-secret-0123456789abcdef", "forged", crypto.randomUUID(), Date.now(), Date.now() + 30 * MINUTE)],
    ["a staff link", () => signStaffLink(env.SESSION_SECRET, { room: "forged", name: "Dr. Rivera" }, 3600)],
    ["a patient token", () => patientToken("forged")],
    ["not a token at all", async () => "not-a-token"],
  ])("a link %s is refused with 401", async (_case, makeToken) => {
    const token = await makeToken();

    for (const res of [await inspect(token), await join(token, "Ana Lima")]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: "This session link is not valid. Please ask your clinic for a new one." });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it("a request without a link is refused with 401", async () => {
    expect((await api("/api/invites/inspect", { method: "POST" })).status).toBe(401);
    expect((await postJson("/api/invites/join", { name: "Ana Lima" })).status).toBe(401);
  });
});

describe("joining through a link", () => {
  it("during the window, the patient gets a session cookie for the room and arrives in the scheduled session", async () => {
    const room = freshRoom();
    const { socket: provider } = await joinAsStaff(room);
    const sid = crypto.randomUUID();
    const token = await signInvite(env.SESSION_SECRET, room, sid, Date.now() - MINUTE, Date.now() + 30 * MINUTE);
    const before = Date.now();

    const res = await join(token, "  Ana Lima  ");

    expect(res.status).toBe(200);
    const body = await res.json<{ room: string; id: string; name: string }>();
    expect(body).toEqual({ room, id: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/), name: "Ana Lima" });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("qc_patient="));
    expect(setCookie).toContain(`Path=/api/rooms/${room}`);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");

    const update = await provider.waitForType("patient", (m) => m.patient.id === body.id);
    expect(update.patient).toEqual({
      c: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/),
      id: body.id,
      name: "Ana Lima",
      checkedInAt: expect.any(Number),
      status: "waiting",
      session: { id: sid, startedAt: expect.any(Number), scheduled: true },
    });
    expect(update.patient.session!.startedAt).toBeGreaterThanOrEqual(before - 1_000);

    const page = await connect(room, cookieFrom(res, "qc_patient"));
    const welcome = await page.hello();
    expect(welcome).toMatchObject({ self: { id: body.id, name: "Ana Lima", role: "patient" }, staffOnline: true, c: update.patient.c });
    expect(welcome.session).toEqual(update.patient.session);
  });

  it("staff who open the dashboard later see the scheduled patient in the queue", async () => {
    const room = freshRoom();
    const sid = crypto.randomUUID();
    const res = await join(await signInvite(env.SESSION_SECRET, room, sid, Date.now(), Date.now() + 30 * MINUTE), "Ana Lima");
    expect(res.status).toBe(200);

    const { socket: provider } = await joinAsStaff(room);

    const queue = await provider.waitForType("queue");
    expect(queue.patients).toEqual([expect.objectContaining({ name: "Ana Lima", session: expect.objectContaining({ id: sid, scheduled: true }) })]);
  });

  it("the scheduled patient and the host chat, and ending it closes the patient's page with 4003", async () => {
    const room = freshRoom();
    const { socket: provider } = await joinAsStaff(room);
    const sid = crypto.randomUUID();
    const res = await join(await signInvite(env.SESSION_SECRET, room, sid, Date.now(), Date.now() + 30 * MINUTE), "Ana Lima");
    const page = await connect(room, cookieFrom(res, "qc_patient"));
    const { c } = await page.hello();

    page.send({ type: "send", c, cid: "a1", text: "Hello doctor" });
    await provider.waitForType("msg", (m) => m.cid === "a1");
    provider.send({ type: "end_session", c });

    expect(await page.waitForClose()).toMatchObject({ code: 4003 });
    expect(page.received.at(-1)).toMatchObject({ type: "session_ended", c, id: sid });
  });

  it("before the window opens, joining is refused with 403 and no cookie", async () => {
    const res = await join(await invite(freshRoom(), 10 * MINUTE), "Ana Lima");

    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "This session has not started yet." });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("after the window, joining is refused with 410 and no cookie", async () => {
    const res = await join(await invite(freshRoom(), -40 * MINUTE, 30), "Ana Lima");

    expect(res.status).toBe(410);
    expect(await res.json()).toEqual({ error: "This session link has expired." });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it.each([
    ["too short", "A"],
    ["blank", "    "],
    ["too long", "x".repeat(61)],
    ["with control characters", "Ana\u0007Lima"],
    ["with a right-to-left override", "Ana \u202Eamil"],
    ["only zero-width characters", "\u200B\u200B\u2060"],
    ["missing", undefined],
  ])("a name that is %s is refused with 400 and a clear message", async (_case, name) => {
    const room = freshRoom();
    const { socket: provider } = await joinAsStaff(room);

    const res = await join(await invite(room, 0), name);

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.any(String) });
    expect(res.headers.getSetCookie()).toEqual([]);
    await provider.settle();
    expect(provider.of("patient")).toEqual([]);
  });
});
