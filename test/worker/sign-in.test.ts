/**
 * A staff sign-in: the link (a bearer credential in the URL fragment) is
 * traded once for a short-lived session cookie, refreshed while the page is
 * open, never past the link's expiry; signing out ends it in the room, so a
 * replayed cookie opens nothing.
 */
import { env } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { afterEach, describe, expect, it } from "vitest";
import { CLOSE } from "../../protocol/wire";
import { randomId } from "../../worker/ids";
import { STAFF_SESSION_TTL, signInvite, staffId } from "../../worker/tokens";
import { api, checkIn, claimsOf, closeAllSockets, connect, cookieFrom, freshRoom, joinAsStaff, signIn, staffCookie, staffLink, upgrade } from "./helpers";

afterEach(closeAllSockets);

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Resolves once the clock has passed `time` (ms), checking every 50 ms; for expiries a second or so away. */
async function clockPast(time: number, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() <= time) {
    if (Date.now() > deadline) throw new Error(`the clock did not pass ${time} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const me = (cookie: string) => api("/api/provider/me", { headers: { Cookie: cookie } });
const refresh = (cookie: string) => api("/api/provider/refresh", { method: "POST", headers: { Cookie: cookie } });
const signOut = (cookie: string) => api("/api/provider/session", { method: "DELETE", headers: { Cookie: cookie } });
const LINK_REFUSED = { error: "This provider link is not valid or has expired. Ask your clinic admin for a new one." };

describe("signing out", () => {
  it("refuses the session cookie from then on: /me, refresh and the socket all answer 401", async () => {
    const room = freshRoom();
    const cookie = await staffCookie(room);
    expect((await me(cookie)).status).toBe(200);

    const out = await signOut(cookie);

    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().find((c) => c.startsWith("qc_staff="))).toMatch(/Max-Age=0/);
    for (const res of [await me(cookie), await refresh(cookie), await upgrade(room, cookie, { as: "staff" })]) {
      expect(res.status).toBe(401);
      expect(res.webSocket).toBeNull();
    }
  });

  it("closes that sign-in's open pages with 4006, and no other sign-in's", async () => {
    const room = freshRoom();
    const laptop = await joinAsStaff(room);
    const laptopTab = await connect(room, laptop.cookie, { as: "staff" });
    await laptopTab.hello();
    // The same person signed in on another device with the same link: another sign-in.
    const phone = await joinAsStaff(room);
    const desk = await joinAsStaff(room, { name: "Sam Reyes", role: "staff" });
    expect(phone.id).toBe(laptop.id);

    await signOut(laptop.cookie);

    for (const page of [laptop.socket, laptopTab]) expect((await page.waitForClose()).code).toBe(CLOSE.signedOut);
    for (const page of [phone.socket, desk.socket]) await page.settle();
    expect((await me(phone.cookie)).status).toBe(200);
  });

  it("refuses a page of that sign-in that had connected but not yet said hello", async () => {
    const room = freshRoom();
    const cookie = await staffCookie(room);
    const page = await connect(room, cookie, { as: "staff" });

    await signOut(cookie);
    page.send({ type: "hello", v: 2 });

    expect((await page.waitForClose()).code).toBe(CLOSE.signedOut);
    expect(page.of("welcome")).toEqual([]);
  });

  it("without a session, is harmless: 204 and a cleared cookie", async () => {
    const res = await api("/api/provider/session", { method: "DELETE" });

    expect(res.status).toBe(204);
  });
});

describe("a session and its link", () => {
  it("a link past its expiry cannot be traded for a session", async () => {
    const res = await signIn(await staffLink(freshRoom(), { ttl: -1 }));

    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(LINK_REFUSED);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("the session is short-lived, and a refresh renews it without moving the link's expiry", async () => {
    const room = freshRoom();
    const link = await staffLink(room, { ttl: 3600 });
    const linkExp = claimsOf(link).exp as number;
    const session = cookieFrom(await signIn(link), "qc_staff");
    const first = claimsOf(session);
    expect(first).toMatchObject({ kind: "staff", role: "host", room, lexp: linkExp });
    expect(first.exp).toBeGreaterThanOrEqual(nowSeconds() + STAFF_SESSION_TTL - 5);
    expect(first.exp).toBeLessThanOrEqual(nowSeconds() + STAFF_SESSION_TTL);

    const res = await refresh(session);

    expect(res.status).toBe(200);
    const renewed = claimsOf(cookieFrom(res, "qc_staff"));
    expect(renewed).toMatchObject({ sid: first.sid, sub: first.sub, lexp: linkExp });
    expect(renewed.exp).toBeGreaterThanOrEqual(first.exp as number);
  });

  it("a session and every refresh of it end at the link's expiry at the latest", async () => {
    const room = freshRoom();
    const link = await staffLink(room, { ttl: 5 });
    const linkExp = claimsOf(link).exp as number;

    const session = cookieFrom(await signIn(link), "qc_staff");
    expect(claimsOf(session).exp).toBeLessThanOrEqual(linkExp);
    expect(claimsOf(session).lexp).toBe(linkExp);
    let cookie = session;
    for (let i = 0; i < 3; i++) {
      const res = await refresh(cookie);
      expect(res.status).toBe(200);
      cookie = cookieFrom(res, "qc_staff");
      expect(claimsOf(cookie).exp).toBeLessThanOrEqual(linkExp);
      expect(claimsOf(cookie).lexp).toBe(linkExp);
    }
  });

  it.each([
    ["a staff session token", (room: string) => staffCookie(room).then((c) => c.slice("qc_staff=".length))],
    ["a patient's token", (room: string) => checkIn(room, "Ana Lima").then((p) => p.cookie.slice("qc_patient=".length))],
    ["a scheduled-session link", (room: string) => signInvite(env.SESSION_SECRET, room, randomId(), Date.now(), Date.now() + 30 * 60_000)],
  ])("%s is not a link: /session refuses it as one", async (_case, token) => {
    const res = await signIn(await token(freshRoom()));

    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(LINK_REFUSED);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("a session cookie without a link is not a sign-in: /session answers 401 and sets nothing", async () => {
    const cookie = await staffCookie(freshRoom());

    const res = await api("/api/provider/session", { method: "POST", headers: { Cookie: cookie } });

    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("a sign-out holds until the link expires, whatever cookie of that sign-in turns up later", async () => {
    const room = freshRoom();
    const linkExp = nowSeconds() + 3600;
    const sid = randomId();
    const session = async (exp: number) =>
      `qc_staff=${await sign({ kind: "staff", role: "host", room, sub: await staffId(room, "Dr. Rivera"), name: "Dr. Rivera", sid, exp, lexp: linkExp }, env.SESSION_SECRET)}`;
    // The cookie the page signs out with expires in a moment; a copy refreshed
    // later (on another tab, or by someone who took it) would last longer.
    const leaving = await session(nowSeconds() + 1);
    const later = await session(nowSeconds() + STAFF_SESSION_TTL);

    await signOut(leaving);
    await clockPast((claimsOf(leaving).exp as number) * 1000);
    // Another sign-out in the room makes it forget sign-outs it no longer needs.
    await signOut(await staffCookie(room, "Sam Reyes", "staff"));

    expect((await me(later)).status).toBe(401);
    expect((await refresh(later)).status).toBe(401);
    expect((await upgrade(room, later, { as: "staff" })).status).toBe(401);
  });

  it("a signed-out session cannot be refreshed back to life, even by a refresh sent just before signing out", async () => {
    const room = freshRoom();
    const cookie = await staffCookie(room);
    const refreshed = cookieFrom(await refresh(cookie), "qc_staff");

    await signOut(cookie);

    for (const replayed of [cookie, refreshed]) {
      expect((await refresh(replayed)).status).toBe(401);
      expect((await me(replayed)).status).toBe(401);
    }
  });
});
