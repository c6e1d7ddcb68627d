import { Hono, type Context } from "hono";
import { randomId } from "../ids";
import { STAFF_SESSION_TTL, signStaffSession, verifyToken, type StaffClaims } from "../tokens";
import { STAFF_COOKIE, bearer, clearSessionCookie, roomStub, setSessionCookie, staffCookiePath, staffFromCookie } from "./auth";

type Ctx = Context<{ Bindings: Env }>;

/** What the dashboard needs: who is signed in, when an idle page signs out, and how often to refresh. */
const profile = (env: Env, s: Pick<StaffClaims, "room" | "name" | "role" | "sub">) => ({
  room: s.room,
  name: s.name,
  role: s.role,
  id: s.sub,
  idleMinutes: Number(env.PROVIDER_IDLE_MINUTES ?? 15) || 15,
  refreshSeconds: Math.floor(STAFF_SESSION_TTL / 3),
});

const notSignedIn = (c: Ctx) => {
  clearSessionCookie(c, STAFF_COOKIE, staffCookiePath);
  return c.json({ error: "Not signed in." }, 401);
};

/**
 * A staff link carries a long-lived token in the URL fragment. The page
 * posts it here once (never in a URL) and gets a sign-in session: a
 * short-lived HttpOnly cookie that the page refreshes while it is open,
 * never past the link's expiry. Signing out ends the session in the room,
 * so the old cookie is refused even if replayed.
 */
export const providerRoutes = new Hono<{ Bindings: Env }>()
  .post("/session", async (c) => {
    const link = await verifyToken(c.env.SESSION_SECRET, bearer(c));
    if (link?.kind !== "link") {
      return c.json({ error: "This provider link is not valid or has expired. Ask your clinic admin for a new one." }, 401);
    }
    setSessionCookie(c, STAFF_COOKIE, await signStaffSession(c.env.SESSION_SECRET, link, randomId()), staffCookiePath);
    return c.json(profile(c.env, link));
  })
  .post("/refresh", async (c) => {
    const me = await staffFromCookie(c);
    if (!me) return notSignedIn(c);
    setSessionCookie(c, STAFF_COOKIE, await signStaffSession(c.env.SESSION_SECRET, { ...me, exp: me.lexp }, me.sid), staffCookiePath);
    return c.json(profile(c.env, me));
  })
  .get("/me", async (c) => {
    const me = await staffFromCookie(c);
    return me ? c.json(profile(c.env, me)) : notSignedIn(c);
  })
  .delete("/session", async (c) => {
    const me = await staffFromCookie(c);
    // Until the link expires: any cookie of this sign-in (a copy refreshed later) can be refreshed until then.
    if (me) await roomStub(c.env, me.room).signOut(me.room, me.sid, me.lexp * 1000);
    clearSessionCookie(c, STAFF_COOKIE, staffCookiePath);
    return c.body(null, 204);
  });
