import { describe, expect, it } from "vitest";
import { STAFF_SESSION_TTL, staffId } from "../../worker/tokens";
import { api, checkIn, freshRoom, postJson, signIn, staffCookie, staffLink } from "./helpers";

const INVISIBLE = "Please remove invisible or text-direction characters from your name.";
const BLANK = "Your name cannot be only spaces or invisible characters.";

describe("patient check-in", () => {
  it("a patient checks in with a name and gets an HttpOnly session cookie scoped to the room", async () => {
    const room = freshRoom();
    const before = Date.now();

    const res = await postJson(`/api/rooms/${room}/check-in`, { name: "  Ana Lima  " });

    expect(res.status).toBe(200);
    const body = await res.json<{ id: string; c: string; name: string; checkedInAt: number }>();
    expect(body.name).toBe("Ana Lima");
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(body.c).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(body.c).not.toBe(body.id);
    expect(body.checkedInAt).toBeGreaterThanOrEqual(before);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("qc_patient="));
    expect(cookie).toContain(`Path=/api/rooms/${room}`);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });

  it.each([
    ["too short", "A", "Please enter at least 2 characters."],
    ["blank", "     ", "Please enter at least 2 characters."],
    ["too long", "x".repeat(61), "Please use at most 60 characters."],
    ["with control characters", "Ana\u0007Lima", "Please use letters, numbers and punctuation only."],
    ["with a C1 control character", "Ana\u0085Lima", INVISIBLE],
    ["with a line separator", "Ana\u2028Lima", INVISIBLE],
    ["with a right-to-left override", "Ana \u202Eamil", INVISIBLE],
    ["with a directional isolate", "\u2067Ana\u2069 Lima", INVISIBLE],
    ["with a zero-width space", "Ana\u200BLima", INVISIBLE],
    ["only zero-width characters", "\u200B\u200C\u200D\u2060\uFEFF\u200B", INVISIBLE],
    ["only joiners", "\u200C\u200D\u200C", BLANK],
    ["only combining marks", "\u0301\u0308\u0327", BLANK],
    ["only a Hangul filler", "\u3164\u3164", BLANK],
    ["with a lone surrogate", "Ana\uD800Lima", INVISIBLE],
  ])("a name that is %s is refused with 400 and a clear error", async (_case, name, error) => {
    const res = await postJson(`/api/rooms/${freshRoom()}/check-in`, { name });

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it.each(["José Núñez-O'Brien", "محمد علي", "אבי כהן", "김민준", "Zoë 👩‍⚕️", "می‌خواهم", "Dr. Ng (2)"])(
    "a name in any script, with accents, emoji and joiners, is accepted: %s",
    async (name) => {
      const res = await postJson(`/api/rooms/${freshRoom()}/check-in`, { name });

      expect(res.status).toBe(200);
      expect((await res.json<{ name: string }>()).name).toBe(name);
    },
  );

  it("a name of exactly 60 characters is accepted", async () => {
    const res = await postJson(`/api/rooms/${freshRoom()}/check-in`, { name: "y".repeat(60) });

    expect(res.status).toBe(200);
  });

  it("a check-in without a name is refused with 400", async () => {
    const res = await postJson(`/api/rooms/${freshRoom()}/check-in`, {});

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.any(String) });
  });

  it("a check-in whose body is not valid JSON is refused with 400, not a server error", async () => {
    const res = await api(`/api/rooms/${freshRoom()}/check-in`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"name": "Ana',
    });

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.any(String) });
  });

  it.each(["Upper-Case", "under_score", "-leading-hyphen", "x".repeat(65)])(
    "a room id like %s is refused with 400",
    async (room) => {
      const res = await postJson(`/api/rooms/${room}/check-in`, { name: "Ana Lima" });

      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: "That waiting room link is not valid." });
    },
  );
});

describe("the patient's own session", () => {
  it("/me answers who the cookie belongs to", async () => {
    const room = freshRoom();
    const ana = await checkIn(room, "Ana Lima");

    const res = await api(`/api/rooms/${room}/me`, { headers: { Cookie: ana.cookie } });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: ana.id, c: ana.c, name: "Ana Lima", checkedInAt: ana.checkedInAt });
  });

  it("/me without a cookie is 401", async () => {
    const res = await api(`/api/rooms/${freshRoom()}/me`);

    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Not checked in." });
  });

  it("/me with another room's cookie or a forged one is 401", async () => {
    const room = freshRoom();
    const elsewhere = await checkIn(freshRoom("other"), "Ana Lima");

    const wrongRoom = await api(`/api/rooms/${room}/me`, { headers: { Cookie: elsewhere.cookie } });
    const forged = await api(`/api/rooms/${room}/me`, { headers: { Cookie: `${elsewhere.cookie}x` } });

    expect(wrongRoom.status).toBe(401);
    expect(forged.status).toBe(401);
  });

  it("leaving the session clears the cookie", async () => {
    const room = freshRoom();
    const ana = await checkIn(room, "Ana Lima");

    const res = await api(`/api/rooms/${room}/me`, { method: "DELETE", headers: { Cookie: ana.cookie } });

    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().find((c) => c.startsWith("qc_patient="))).toMatch(/Max-Age=0|Expires=/);
  });
});

describe("staff sign-in", () => {
  it("a staff link token is exchanged for a session cookie that /api/provider/me recognises, with role, id, idle sign-out time and refresh period", async () => {
    const room = freshRoom();
    const cookie = await staffCookie(room, "Dr. Rivera");

    const res = await api("/api/provider/me", { headers: { Cookie: cookie } });

    expect(await res.json()).toEqual({
      room,
      name: "Dr. Rivera",
      role: "host",
      id: await staffId(room, "Dr. Rivera"),
      idleMinutes: 15,
      refreshSeconds: STAFF_SESSION_TTL / 3,
    });
  });

  it("a forged staff link is refused with 401", async () => {
    const res = await api("/api/provider/session", { method: "POST", headers: { Authorization: "Bearer not.a.token" } });

    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("a patient's cookie is not a staff session", async () => {
    const room = freshRoom();
    const ana = await checkIn(room, "Ana Lima");
    const token = ana.cookie.slice("qc_patient=".length);

    const asBearer = await signIn(token);
    const asCookie = await api("/api/provider/me", { headers: { Cookie: `qc_staff=${token}` } });

    expect(asBearer.status).toBe(401);
    expect(asCookie.status).toBe(401);
  });

  it("the staff cookie is HttpOnly and scoped to the API", async () => {
    const res = await signIn(await staffLink(freshRoom()));

    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("qc_staff="));
    expect(cookie).toContain("Path=/api");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
  });

  it("an expired staff link is refused with 401", async () => {
    const res = await signIn(await staffLink(freshRoom(), { ttl: -60 }));

    expect(res.status).toBe(401);
  });
});
