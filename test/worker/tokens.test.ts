/**
 * Credentials that must open nothing: each is refused with 401 by the
 * worker, with no room data in the answer and before the room's Durable
 * Object exists. A genuine token made the same way opens the room, so the
 * refusals are about the flaw each one carries.
 */
import { env } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { randomId } from "../../worker/ids";
import { signInvite } from "../../worker/tokens";
import { api, freshRoom, postJson, roomReached, upgrade } from "./helpers";

type Claims = Record<string, unknown>;

const nowSeconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: object) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

const patientClaims = (room: string): Claims => ({ kind: "patient", room, sub: randomId(), c: randomId(), name: "Ana Lima", cin: Date.now(), exp: nowSeconds() + 3600 });
const linkClaims = (room: string): Claims => ({ kind: "link", role: "host", room, sub: randomId(), name: "Dr. Rivera", iat: nowSeconds(), exp: nowSeconds() + 3600 });
const staffClaims = (room: string): Claims => ({
  kind: "staff",
  role: "host",
  room,
  sub: randomId(),
  name: "Dr. Rivera",
  sid: randomId(),
  exp: nowSeconds() + 600,
  lexp: nowSeconds() + 3600,
});

/** The ways a token for `room` can be wrong, each built from otherwise genuine claims. */
function forgeries(claimsFor: (room: string) => Claims): [string, (room: string) => Promise<string>][] {
  return [
    ["a token that expired a minute ago", (room) => sign({ ...claimsFor(room), exp: nowSeconds() - 60 }, env.SESSION_SECRET)],
    ["a token signed with another secret", (room) => sign(claimsFor(room), "another-deployment-secret-7d2e")],
    [
      "a token with no expiry",
      (room) => {
        const { exp: _exp, ...claims } = claimsFor(room);
        return sign(claims, env.SESSION_SECRET);
      },
    ],
    ["an unsigned token (alg none)", async (room) => `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claimsFor(room))}.`],
    [
      "another room's token edited to name this room",
      async (room) => {
        const [header, , signature] = (await sign(claimsFor(freshRoom("other")), env.SESSION_SECRET)).split(".");
        return `${header}.${base64url(claimsFor(room))}.${signature}`;
      },
    ],
    ["a scheduled-session link", (room) => signInvite(env.SESSION_SECRET, room, randomId(), Date.now(), Date.now() + 30 * 60_000)],
  ];
}

async function expectRefused(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(await res.json()).toEqual({ error: expect.any(String) });
  expect(res.headers.getSetCookie()).toEqual([]);
}

describe("patient credentials", () => {
  it("a genuine patient token opens the patient's socket", async () => {
    const room = freshRoom();

    const res = await upgrade(room, `qc_patient=${await sign(patientClaims(room), env.SESSION_SECRET)}`);

    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close(1000);
  });

  it.each([
    ...forgeries(patientClaims),
    ["a staff session", (room: string) => sign(staffClaims(room), env.SESSION_SECRET)] as const,
    ["a staff link", (room: string) => sign(linkClaims(room), env.SESSION_SECRET)] as const,
  ])("%s opens neither the patient's socket nor /me: 401 before the room exists", async (_case, forge) => {
    const room = freshRoom();
    const cookie = `qc_patient=${await forge(room)}`;

    const socket = await upgrade(room, cookie);
    await expectRefused(socket);
    expect(socket.webSocket).toBeNull();
    await expectRefused(await api(`/api/rooms/${room}/me`, { headers: { Cookie: cookie } }));
    expect(await roomReached(room)).toBe(false);
  });
});

describe("staff credentials", () => {
  it("a genuine staff link signs in, and a genuine staff session opens the staff socket", async () => {
    const room = freshRoom();

    const session = await api("/api/provider/session", { method: "POST", headers: { Authorization: `Bearer ${await sign(linkClaims(room), env.SESSION_SECRET)}` } });
    const res = await upgrade(room, `qc_staff=${await sign(staffClaims(room), env.SESSION_SECRET)}`, { as: "staff" });

    expect(session.status).toBe(200);
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close(1000);
  });

  it.each([...forgeries(linkClaims), ["a staff session (not a link)", (room: string) => sign(staffClaims(room), env.SESSION_SECRET)] as const])(
    "%s does not sign in: 401 before the room exists",
    async (_case, forge) => {
      const room = freshRoom();

      await expectRefused(await api("/api/provider/session", { method: "POST", headers: { Authorization: `Bearer ${await forge(room)}` } }));
      expect(await roomReached(room)).toBe(false);
    },
  );

  it.each([
    ...forgeries(staffClaims),
    ["a staff link (not a session)", (room: string) => sign(linkClaims(room), env.SESSION_SECRET)] as const,
    ["a patient's session", (room: string) => sign(patientClaims(room), env.SESSION_SECRET)] as const,
  ])("%s opens neither the staff socket nor /me, refresh or link-making: 401 before the room exists", async (_case, forge) => {
    const room = freshRoom();
    const cookie = { Cookie: `qc_staff=${await forge(room)}` };

    const socket = await upgrade(room, cookie.Cookie, { as: "staff" });
    await expectRefused(socket);
    expect(socket.webSocket).toBeNull();
    for (const res of [
      await api("/api/provider/me", { headers: cookie }),
      await api("/api/provider/refresh", { method: "POST", headers: cookie }),
      await postJson("/api/provider/invites", { start: Date.now(), minutes: 30 }, cookie),
    ]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: expect.any(String) });
      // Nothing new is set; a refused session's cookie is cleared.
      expect(res.headers.getSetCookie().filter((c) => !/Max-Age=0/.test(c))).toEqual([]);
    }
    expect(await roomReached(room)).toBe(false);
  });
});
