import { Hono } from "hono";
import { TICKET_HEADER } from "../room-do";
import type { Identity } from "../room/room";
import { guestFromCookie, patientFromCookie, roomStub, staffFromCookie } from "./auth";
import { roomParam } from "./validate";

/**
 * The WebSocket upgrade. Everything is checked here, before any Durable
 * Object is reached: the Origin, then the session cookie for the role asked.
 * The identity then reaches the room by RPC; the upgrade request carries
 * only a random ticket.
 */
export const socketRoutes = new Hono<{ Bindings: Env }>().get("/ws", roomParam, async (c) => {
  const { room } = c.req.valid("param");
  if (c.req.header("Upgrade") !== "websocket") return c.json({ error: "Expected a WebSocket upgrade." }, 426);
  if (!originAllowed(c.req.header("Origin"), c.req.url, c.env.ALLOWED_ORIGINS)) {
    return c.json({ error: "This origin may not connect." }, 403);
  }
  let identity: Identity | null = null;
  if (c.req.query("as") === "staff") {
    const s = await staffFromCookie(c);
    if (s && s.room === room) identity = { role: s.role, id: s.sub, name: s.name, login: s.sid };
  } else if (c.req.query("as") === "guest") {
    const g = await guestFromCookie(c, room);
    if (g) identity = { role: "guest", id: g.sub, name: g.name, c: g.c };
  } else {
    const p = await patientFromCookie(c, room);
    if (p) identity = { role: "patient", id: p.sub, name: p.name, c: p.c, checkedInAt: p.cin, ...(p.sid ? { session: { id: p.sid, startedAt: p.cin, scheduled: true as const } } : {}) };
  }
  if (!identity) return c.json({ error: "Not signed in to this room." }, 401);
  const stub = roomStub(c.env, room);
  const ticket = await stub.ticket(room, identity);
  return stub.fetch(new Request(c.req.raw.url, { headers: { Upgrade: "websocket", [TICKET_HEADER]: ticket } }));
});

export function originAllowed(origin: string | undefined, url: string, extra = ""): boolean {
  if (!origin) return false;
  const allowed = [new URL(url).origin, ...extra.split(",").map((s) => s.trim()).filter(Boolean)];
  return allowed.includes(origin);
}
