import { Hono, type Context } from "hono";
import { attachmentHeader } from "../../protocol/files";
import { TICKET_HEADER, UPLOAD_HEADER } from "../room-do";
import type { Identity } from "../room/room";
import { patientFromCookie, roomStub, staffFromCookie } from "./auth";
import { originAllowed } from "./socket";
import { roomParam } from "./validate";

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Who the session cookie says this is, in this room: staff with `?as=staff`, otherwise the patient. */
async function personIn(c: Context<{ Bindings: Env }>, room: string): Promise<Identity | null> {
  if (c.req.query("as") === "staff") {
    const staff = await staffFromCookie(c);
    return staff?.room === room ? { role: staff.role, id: staff.sub, name: staff.name } : null;
  }
  const patient = await patientFromCookie(c, room);
  return patient ? { role: "patient", id: patient.sub, name: patient.name } : null;
}

/**
 * Files never rest anywhere: a recipient's download is a plain HTTP response
 * streamed from the sender's page through the room as the browser saves it
 * (never shown inline), and the sender's page sends its chunks over an
 * upload socket of that transfer's own, so file bytes never queue behind or
 * in front of chat frames.
 */
export const fileRoutes = new Hono<{ Bindings: Env }>()
  .get("/files/:id", roomParam, async (c) => {
    // A HEAD would start a transfer only to drop it.
    if (c.req.method !== "GET") return c.json({ error: "Download the file with GET." }, 405);
    const { room } = c.req.valid("param");
    const id = c.req.param("id");
    const link = c.req.query("link") ?? "";
    if (!ID.test(id) || !ID.test(link)) return c.json({ error: "This file is no longer offered." }, 404);
    const who = await personIn(c, room);
    if (!who) return c.json({ error: "Not signed in to this room." }, 401);
    const result = await roomStub(c.env, room).download(room, { id: who.id }, id, link);
    if (!result.ok) return c.json({ error: result.error }, result.status);
    // A fixed length: a transfer that stops short fails the download instead of saving part of a file.
    const { readable, writable } = new FixedLengthStream(result.size);
    result.stream.pipeTo(writable).catch(() => {
      // Stopped or cancelled: the room has told both sides why.
    });
    return new Response(readable, {
      headers: {
        "Content-Type": "application/octet-stream",
        "Content-Disposition": attachmentHeader(result.name),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  })
  .get("/uploads/:t", roomParam, async (c) => {
    const { room } = c.req.valid("param");
    const t = c.req.param("t");
    if (c.req.header("Upgrade") !== "websocket") return c.json({ error: "Expected a WebSocket upgrade." }, 426);
    if (!originAllowed(c.req.header("Origin"), c.req.url, c.env.ALLOWED_ORIGINS)) return c.json({ error: "This origin may not connect." }, 403);
    if (!ID.test(t)) return c.json({ error: "No transfer waits for this upload." }, 404);
    const who = await personIn(c, room);
    if (!who) return c.json({ error: "Not signed in to this room." }, 401);
    const stub = roomStub(c.env, room);
    const ticket = await stub.ticket(room, who);
    return stub.fetch(new Request(c.req.raw.url, { headers: { Upgrade: "websocket", [TICKET_HEADER]: ticket, [UPLOAD_HEADER]: t } }));
  });
