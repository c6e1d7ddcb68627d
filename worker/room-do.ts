import { DurableObject } from "cloudflare:workers";
import { createHmac } from "node:crypto";
import { Room, type AdmitResult, type AuditEvent, type Identity } from "./room";

export const IDENTITY_HEADER = "X-QC-Identity";
export const ROOM_HEADER = "X-QC-Room";

/**
 * There's only ever one Durable Object instance per room. It keeps all the
 * room's state in memory and never touches storage: when it goes away, the
 * conversations go with it. Sockets use `accept()`, not hibernation, because
 * hibernation would drop that memory after a few idle seconds.
 */
export class RoomDO extends DurableObject<Env> {
  private room?: Room;

  private roomFor(name: string): Room {
    this.room ??= new Room({
      name,
      graceMs: Number(this.env.LEAVE_GRACE_SECONDS ?? 60) * 1000,
      capacity: Number(this.env.ROOM_CAPACITY ?? 10000),
      checkInsPerMinute: Number(this.env.CHECKINS_PER_MINUTE ?? 10),
      // Synchronous HMAC, so the room stays plain synchronous code.
      sign: (data) => createHmac("sha256", this.env.SESSION_SECRET).update(`message\n${data}`).digest("base64url").slice(0, 32),
      audit: logAudit,
    });
    return this.room;
  }

  /**
   * Checks a patient in (RPC), limited per client address; with
   * `identity.session`, straight into a scheduled text-only session.
   */
  checkIn(room: string, identity: Identity, address: string): AdmitResult {
    return this.roomFor(room).checkIn(identity, address);
  }

  /** WebSocket upgrades only; the worker has verified who is connecting. */
  async fetch(request: Request): Promise<Response> {
    const identity = JSON.parse(request.headers.get(IDENTITY_HEADER) ?? "null") as Identity | null;
    const name = request.headers.get(ROOM_HEADER);
    if (!identity || !name || request.headers.get("Upgrade") !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    const conn = this.roomFor(name).connect(
      { send: (data) => server.send(data), close: (code, reason) => server.close(code, reason) },
      identity,
    );
    server.addEventListener("message", (event) => conn.receive(event.data));
    server.addEventListener("close", (event) => {
      conn.closed();
      try {
        server.close(event.code === 1005 ? 1000 : event.code, "closing");
      } catch {
        // already closed
      }
    });
    server.addEventListener("error", () => conn.closed());
    return new Response(null, { status: 101, webSocket: client });
  }
}

function logAudit(event: AuditEvent): void {
  // Ids only, never names or text: a clinic can keep these without patient data.
  console.log(JSON.stringify({ audit: event.event, room: event.room, participant: event.participant, role: event.role, at: new Date().toISOString() }));
}
