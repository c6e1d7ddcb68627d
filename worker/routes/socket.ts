import { Hono } from "hono";
import { IDENTITY_HEADER, ROOM_HEADER } from "../room-do";
import type { Identity } from "../room";
import { patientFromCookie, providerFromCookie } from "./auth";
import { roomParam } from "./validate";

/**
 * The WebSocket upgrade. Everything is checked here, before any Durable
 * Object is reached: the Origin, then the session cookie for the role asked.
 */
export const socketRoutes = new Hono<{ Bindings: Env }>().get("/ws", roomParam, async (c) => {
  const { room } = c.req.valid("param");
  if (c.req.header("Upgrade") !== "websocket") return c.json({ error: "Expected a WebSocket upgrade." }, 426);
  if (!originAllowed(c.req.header("Origin"), c.req.url, c.env.ALLOWED_ORIGINS)) {
    return c.json({ error: "This origin may not connect." }, 403);
  }
  let identity: Identity | null = null;
  if (c.req.query("as") === "provider") {
    const p = await providerFromCookie(c);
    if (p && p.room === room) identity = { role: "provider", id: "provider", name: p.name };
  } else {
    const p = await patientFromCookie(c, room);
    if (p) {
      identity = { role: "patient", id: p.sub, name: p.name, checkedInAt: p.cin };
      if (p.sid) identity.session = { id: p.sid, startedAt: p.cin, scheduled: true };
    }
  }
  if (!identity) return c.json({ error: "Not signed in to this room." }, 401);

  const headers = new Headers(c.req.raw.headers);
  headers.set(IDENTITY_HEADER, JSON.stringify(identity));
  headers.set(ROOM_HEADER, room);
  const stub = c.env.ROOMS.get(c.env.ROOMS.idFromName(room));
  return stub.fetch(new Request(c.req.raw.url, { headers }));
});

export function originAllowed(origin: string | undefined, url: string, extra = ""): boolean {
  if (!origin) return false;
  const allowed = [new URL(url).origin, ...extra.split(",").map((s) => s.trim()).filter(Boolean)];
  return allowed.includes(origin);
}
