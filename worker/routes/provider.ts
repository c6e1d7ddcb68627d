import { Hono } from "hono";
import { SESSION_TTL, signProvider, verifyToken } from "../tokens";
import { PROVIDER_COOKIE, clearSessionCookie, providerCookiePath, providerFromCookie, setSessionCookie } from "./auth";

/** What the dashboard needs: who is signed in, and when an idle page signs out. */
const profile = (env: Env, room: string, name: string) => ({ room, name, idleMinutes: Number(env.PROVIDER_IDLE_MINUTES ?? 15) || 15 });

/**
 * The provider's link carries a long-lived token in the URL fragment. The
 * page posts it here once (never in a URL) and gets a short-lived HttpOnly
 * session cookie in exchange, so a reload keeps the provider signed in.
 */
export const providerRoutes = new Hono<{ Bindings: Env }>()
  .post("/session", async (c) => {
    const bearer = c.req.header("Authorization")?.match(/^Bearer (.+)$/)?.[1];
    const claims = await verifyToken(c.env.SESSION_SECRET, bearer);
    if (!claims || claims.role !== "provider") {
      return c.json({ error: "This provider link is not valid or has expired. Ask your clinic admin for a new one." }, 401);
    }
    const session = await signProvider(c.env.SESSION_SECRET, claims.room, claims.name, SESSION_TTL);
    setSessionCookie(c, PROVIDER_COOKIE, session, providerCookiePath);
    return c.json(profile(c.env, claims.room, claims.name));
  })
  .get("/me", async (c) => {
    const me = await providerFromCookie(c);
    if (!me) return c.json({ error: "Not signed in." }, 401);
    return c.json(profile(c.env, me.room, me.name));
  })
  .delete("/session", (c) => {
    clearSessionCookie(c, PROVIDER_COOKIE, providerCookiePath);
    return c.body(null, 204);
  });
