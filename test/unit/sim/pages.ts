/**
 * Simulated browser pages: each runs the real room client
 * (client/room/room-client.ts), the same the dashboard and the patient's
 * page run, over a socket that follows client/lib/connection.ts: reconnect
 * with jittered backoff, answer the room's pings at once, give up on a
 * socket silent for deadAfterMs, send nothing before the welcome.
 */
import { RoomClient } from "../../../client/room/room-client";
import { FINAL_CLOSE, HEARTBEAT, PING_FRAME, PONG_FRAME, type ClientMessage, type ServerMessage } from "../../../protocol/wire";
import type { Identity } from "../../../worker/room/room";
import type { Endpoint, Network, Wire } from "./network";

export class Page implements Endpoint {
  readonly identity: Identity;
  readonly client: RoomClient;
  /** Errors the room sent about no pending message: the page would show them as a notice. */
  readonly notices: string[] = [];
  private readonly net: Network;
  private status: "connecting" | "open" | "reconnecting" = "connecting";
  private wire?: Wire;
  private attempts = 0;
  private lastHeard = 0;
  private stopHeartbeat?: () => void;

  constructor(net: Network, identity: Identity) {
    this.net = net;
    this.identity = identity;
    this.client = new RoomClient({ send: (msg) => this.send(msg) });
    const name = identity.name;
    this.client.on((event) => {
      // Nobody leaves, no session ends and no group is deleted in the simulation: the room losing any is a failure.
      if (event.type === "notice") this.notices.push(`${name}: ${event.text}`);
      else if (event.type === "patient_left" || event.type === "session_ended" || event.type === "group_deleted" || event.type === "erased") {
        net.failures.push(`${name}'s page saw ${event.type} in ${event.conv.id}`);
      }
    });
    // The patient's page knows its conversation from check-in, before any welcome.
    if (identity.c) this.client.own(identity.c);
  }

  get id(): string {
    return this.identity.id;
  }

  /** Connected, welcomed, and nothing of its own on the way or being handed back. */
  get settled(): boolean {
    return this.status === "open" && this.wire?.alive === true && !this.client.busy;
  }

  open(): void {
    const wire = this.net.open(this);
    this.wire = wire;
    this.lastHeard = this.net.clock.now();
    this.heartbeat(wire);
    wire.fromPage(JSON.stringify(this.client.hello()));
  }

  frame(wire: Wire, data: string): void {
    if (wire !== this.wire) return;
    this.lastHeard = this.net.clock.now();
    if (data === PING_FRAME) {
      wire.fromPage(PONG_FRAME);
      return;
    }
    const msg = JSON.parse(data) as ServerMessage;
    if (msg.type === "welcome") {
      this.attempts = 0;
      this.status = "open";
    }
    this.client.receive(msg);
  }

  closed(wire: Wire, code: number): void {
    if (wire !== this.wire) return;
    this.abandon(wire);
    if (FINAL_CLOSE.has(code)) {
      this.net.failures.push(`${this.identity.name}'s socket was closed for good (${code})`);
      return;
    }
    this.retry();
  }

  /** False when the socket is not open: the room client keeps the message pending. */
  private send(msg: ClientMessage): boolean {
    if (!this.wire || this.status !== "open") return false;
    return this.wire.fromPage(JSON.stringify(msg));
  }

  private heartbeat(wire: Wire): void {
    this.stopHeartbeat = this.net.clock.setTimeout(() => {
      if (this.net.clock.now() - this.lastHeard > HEARTBEAT.deadAfterMs) {
        this.abandon(wire);
        this.retry();
        return;
      }
      this.heartbeat(wire);
    }, HEARTBEAT.intervalMs);
  }

  private abandon(wire: Wire): void {
    this.stopHeartbeat?.();
    if (this.wire === wire) this.wire = undefined;
    wire.letGo();
  }

  private retry(): void {
    this.status = "reconnecting";
    const delay = Math.min(15_000, 500 * 2 ** this.attempts++) * (0.5 + this.net.rand() / 2);
    this.net.clock.setTimeout(() => this.open(), delay);
  }
}
