import { DurableObject } from "cloudflare:workers";
import { Hmac } from "../protocol/sha256";
import { randomId } from "./ids";
import { Room, type AdmitResult, type Identity } from "./room/room";
import type { AuditEvent } from "./room/context";

/** The one header on the upgrade request the worker makes: a single-use, random ticket. */
export const TICKET_HEADER = "X-QC-Ticket";
const TICKET_MS = 10_000;
const TICKETS_MAX = 10_000;

/**
 * There's only ever one Durable Object instance per room. It keeps all the
 * room's state in memory and never touches storage: when it goes away, the
 * conversations go with it. Sockets use `accept()`, not hibernation, because
 * hibernation would drop that memory after a few idle seconds.
 *
 * Who is connecting reaches the room by native RPC (`ticket`), never in a
 * header of the upgrade request: a runtime may print or trace headers, and
 * identities hold names.
 */
export class RoomDO extends DurableObject<Env> {
  private room?: Room;
  private readonly tickets = new Map<string, { identity: Identity; until: number }>();

  private roomFor(name: string): Room {
    if (this.room) return this.room;
    // Synchronous, so the room stays plain synchronous code; the key is
    // prepared once, and each signature allocates nothing but its text.
    const hmac = new Hmac(this.env.SESSION_SECRET);
    this.room = new Room({
      name,
      graceMs: Number(this.env.LEAVE_GRACE_SECONDS ?? 60) * 1000,
      capacity: Number(this.env.ROOM_CAPACITY ?? 10000),
      checkInsPerMinute: Number(this.env.CHECKINS_PER_MINUTE ?? 10),
      sign: (data) => hmac.signText(`room\n${data}`).slice(0, 32),
      audit: logAudit,
    });
    return this.room;
  }

  /** Checks a patient in (limited per client address); with `session`, straight into that scheduled session. */
  checkIn(room: string, name: string, address: string, session?: { id: string }): AdmitResult {
    return this.roomFor(room).checkIn(name, address, session);
  }

  /** A verified identity for the socket about to be opened; the ticket is good once, for a few seconds. */
  ticket(room: string, identity: Identity): string {
    this.roomFor(room);
    const now = Date.now();
    if (this.tickets.size >= TICKETS_MAX) for (const [t, v] of this.tickets) if (v.until < now) this.tickets.delete(t);
    const ticket = randomId();
    this.tickets.set(ticket, { identity, until: now + TICKET_MS });
    return ticket;
  }

  isSignedOut(room: string, login: string): boolean {
    return this.roomFor(room).isSignedOut(login);
  }

  /** Ends a staff sign-in: its pages close, and its cookie is refused until it would have expired. */
  signOut(room: string, login: string, until: number): void {
    this.roomFor(room).signOut(login, until);
  }

  /** WebSocket upgrades only, each with a ticket from `ticket`. */
  async fetch(request: Request): Promise<Response> {
    const ticket = request.headers.get(TICKET_HEADER) ?? "";
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (!this.room || !entry || entry.until < Date.now() || request.headers.get("Upgrade") !== "websocket") {
      return new Response("Expected a WebSocket upgrade with a ticket", { status: 426 });
    }
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    const socket = this.room.connect({ send: (data) => server.send(data), close: (code, reason) => server.close(code, reason) }, entry.identity);
    server.addEventListener("message", (event) => socket.receive(event.data));
    server.addEventListener("close", (event) => {
      socket.closed();
      try {
        server.close(event.code === 1005 ? 1000 : event.code, "closing");
      } catch {
        // already closed
      }
    });
    server.addEventListener("error", () => socket.closed());
    return new Response(null, { status: 101, webSocket: client });
  }
}

function logAudit(event: AuditEvent): void {
  // Ids only, never names or text: a clinic can keep these without patient data.
  console.log(JSON.stringify({ audit: event.event, room: event.room, participant: event.participant, role: event.role, at: new Date().toISOString() }));
}
