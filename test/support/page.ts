/**
 * A browser page running the real room client (client/room/room-client.ts)
 * against the plain `Room`, with the network reduced to two queues: the
 * room's frames reach the page when the test calls `flush`, and the page's
 * frames reach the room as it sends them. What client/lib/connection.ts
 * adds is here too: pings are answered as text, and nothing is sent before
 * the welcome.
 */
import { PatientClient, type PatientEvent } from "../../client/patient/patient-client";
import type { Conversation } from "../../client/room/conversation";
import { RoomClient, type RoomEvent } from "../../client/room/room-client";
import { PING_FRAME, PONG_FRAME, type ClientMessage, type ClientMessageOf, type ServerMessage } from "../../protocol/wire";
import type { Identity, Room } from "../../worker/room/room";
import { Client } from "./fakes";

/** What a page's room client offers the network and the tests. */
interface PageClient {
  hello(): ClientMessageOf<"hello">;
  receive(msg: ServerMessage): void;
  own(c: string): Conversation;
  get(c: string): Conversation | undefined;
}

type MakeClient<C, E> = (send: (msg: ClientMessage) => boolean, listener: (event: E) => void) => C;

const roomClient: MakeClient<RoomClient, RoomEvent> = (send, listener) => {
  const client = new RoomClient({ send });
  client.on(listener);
  return client;
};

export class LivePage<C extends PageClient = RoomClient, E = RoomEvent> {
  readonly client: C;
  readonly identity: Identity;
  readonly events: E[] = [];
  /** The socket now open, if any. */
  socket?: Client;
  private readonly room: () => Room;
  private read = 0;
  private welcomed = false;

  /** `room` is asked on each connect: after a reset, it is the new instance. */
  constructor(room: () => Room, identity: Identity, makeClient: MakeClient<C, E> = roomClient as unknown as MakeClient<C, E>) {
    this.room = room;
    this.identity = identity;
    this.client = makeClient(
      (msg) => {
        if (!this.socket || !this.welcomed || this.socket.peer.closedWith) return false;
        this.socket.send(msg);
        return true;
      },
      (event) => this.events.push(event),
    );
    // The patient's page knows its conversation from check-in, before any welcome.
    if (identity.c) this.client.own(identity.c);
  }

  /** Opens a socket and says hello (fresh before the first welcome, resuming after); frames are then delivered. */
  connect(): this {
    this.socket = new Client(this.room(), this.identity);
    this.read = 0;
    this.welcomed = false;
    this.socket.send(this.client.hello());
    return this.flush();
  }

  /** Delivers every frame the room has sent this page, and whatever they make the page send, until both sides are quiet. */
  flush(): this {
    const socket = this.socket;
    if (!socket) return this;
    while (this.read < socket.peer.raw.length) {
      const frame = socket.peer.raw[this.read++];
      if (frame === PING_FRAME) {
        socket.socket.receive(PONG_FRAME);
        continue;
      }
      const msg = JSON.parse(frame) as ServerMessage;
      if (msg.type === "welcome") this.welcomed = true;
      this.client.receive(msg);
    }
    return this;
  }

  /** The network dropped the socket (the room is told); frames not yet delivered are lost. */
  drop(): this {
    this.socket?.drop();
    this.socket = undefined;
    this.welcomed = false;
    return this;
  }

  /** The messages this page holds of conversation `c`, as texts. */
  texts(c: string): string[] {
    return this.client.get(c)?.messages.value.map((m) => m.text) ?? [];
  }
}

/** A patient's or guest's page, running the patient's own client (client/patient/patient-client.ts). */
export function patientPage(room: () => Room, identity: Identity): LivePage<PatientClient, PatientEvent> {
  return new LivePage(room, identity, (send, listener) => new PatientClient(send, listener));
}

/** Flushes pages until none has anything left to deliver. */
export function flushAll(...pages: LivePage<PageClient, unknown>[]): void {
  for (let i = 0; i < 20; i++) {
    const before = pages.map((p) => p.socket?.peer.raw.length ?? 0);
    for (const page of pages) page.flush();
    if (pages.every((p, j) => (p.socket?.peer.raw.length ?? 0) === before[j])) return;
  }
}
