import { DurableObject } from "cloudflare:workers";
import { directoryStub } from "./directory-do";
import { createHash } from "node:crypto";
import { Hmac } from "../protocol/sha256";
import { randomId } from "./ids";
import { warmUp } from "./room/warm-up";
import { Room, type AdmitResult, type DirectoryPort, type GuestAdmission, type Identity } from "./room/room";
import type { AuditEvent } from "./room/context";
import type { DownloadResult } from "./room/files/files";
import type { Hasher } from "./room/files/relay";

/** The one header on the upgrade request the worker makes: a single-use, random ticket. */
export const TICKET_HEADER = "X-QC-Ticket";
/** On an upgrade for a file's upload socket: the transfer it sends. */
export const UPLOAD_HEADER = "X-QC-Upload";
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
    const sign = (data: string) => hmac.signText(`room\n${data}`).slice(0, 32);
    this.room = new Room({
      name,
      graceMs: Number(this.env.LEAVE_GRACE_SECONDS ?? 60) * 1000,
      capacity: Number(this.env.ROOM_CAPACITY ?? 10000),
      checkInsPerMinute: Number(this.env.CHECKINS_PER_MINUTE ?? 10),
      sign,
      audit: logAudit,
      directory: this.directory(),
      hash: nativeSha256,
    });
    // Right after this first call is answered: the engine compiles the message path before the first messages.
    setTimeout(() => warmUp(sign), 0);
    return this.room;
  }

  private directory(): DirectoryPort {
    const env = this.env;
    return {
      issue: (room, c, until) => directoryStub(env).issue(room, c, until),
      renew: (room, codes) => directoryStub(env).renew(room, codes),
      withdraw: (room, codes) => directoryStub(env).withdraw(room, codes),
    };
  }

  /**
   * The directory found that a code typed on the join page is this room's
   * (session `c`). A room that lost its memory knows no code: refused, as
   * the join page's one answer says.
   */
  admitGuest(c: string, code: string, name: string): GuestAdmission {
    return this.room?.admitGuest(c, code, name) ?? { ok: false, reason: "invalid" };
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

  /**
   * A recipient's download of a file: the stream crosses to the worker over
   * RPC, which carries its backpressure, so the room is asked for each chunk
   * only as the download reads.
   */
  download(room: string, identity: Pick<Identity, "id">, id: string, link: string): DownloadResult {
    return this.roomFor(room).download(identity, id, link);
  }

  /** Offers, moving transfers and the file bytes the room holds now and at most (tests, measurements). */
  fileStats() {
    return this.room?.fileStats();
  }

  /** WebSocket upgrades only, each with a ticket from `ticket`. */
  async fetch(request: Request): Promise<Response> {
    const ticket = request.headers.get(TICKET_HEADER) ?? "";
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (!this.room || !entry || entry.until < Date.now() || request.headers.get("Upgrade") !== "websocket") {
      return new Response("Expected a WebSocket upgrade with a ticket", { status: 426 });
    }
    const upload = request.headers.get(UPLOAD_HEADER);
    if (upload) return this.acceptUpload(entry.identity, upload);
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

  /** A sender's page opens the socket that carries one transfer's chunks (binary frames, each asked for). */
  private acceptUpload(identity: Identity, t: string): Response {
    const transfer = this.room?.uploadFor(identity, t);
    if (!transfer) return new Response("No transfer waits for this upload", { status: 404 });
    const [client, server] = Object.values(new WebSocketPair());
    // Chunks are taken as they come, without a Blob in between (the standard default for binary frames).
    server.binaryType = "arraybuffer";
    server.accept();
    server.addEventListener("message", (event) => transfer.receive(event.data));
    server.addEventListener("close", (event) => {
      transfer.uploadClosed(event.code);
      try {
        server.close(1000, "closing");
      } catch {
        // already closed
      }
    });
    server.addEventListener("error", () => transfer.uploadClosed());
    transfer.attach({ send: (data) => server.send(data), close: (code, reason) => server.close(code, reason) });
    return new Response(null, { status: 101, webSocket: client });
  }
}

/**
 * Files are hashed by the runtime's native SHA-256: bulk bytes, where it is
 * fast. Messages are signed in plain JavaScript (`Hmac`) instead: for a few
 * hundred bytes, a call through the Node compatibility layer costs more
 * than the hashing (here about 150 µs a signature against 20 µs compiled).
 */
function nativeSha256(): Hasher {
  const hash = createHash("sha256");
  return { update: (bytes) => void hash.update(bytes), digest: () => hash.digest("hex") };
}

function logAudit(event: AuditEvent): void {
  // Ids only, never names or text: a clinic can keep these without patient data.
  console.log(JSON.stringify({ audit: event.event, room: event.room, participant: event.participant, role: event.role, at: new Date().toISOString() }));
}
