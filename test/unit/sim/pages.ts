/**
 * Simulated browser pages that keep their copies as the real client models
 * do: the same merge and seed frames (client/lib/replica.ts), the provider's
 * real Thread (client/provider/thread.ts), and the message handling of
 * client/provider/model.ts and client/patient/model.ts, minus the UI and
 * what the simulation never does (sessions, erases, leaving). The socket
 * follows client/lib/connection.ts: reconnect with jittered backoff, ping
 * every interval, give up on a socket silent for deadAfterMs.
 *
 * The models themselves cannot run here: they need a DOM, and the
 * provider's only way to write to a patient is the chat box in view, and
 * viewing another patient erases the conversation before.
 */
import { Epoch, merge, seedFrames } from "../../../client/lib/replica";
import { Thread, type Pending } from "../../../client/provider/thread";
import { CLOSE, HEARTBEAT, PROTOCOL_VERSION, type ChatMessage, type ClientMessage, type ServerMessage } from "../../../worker/protocol";
import type { Identity } from "../../../worker/room";
import type { Endpoint, Network, Wire } from "./network";

const FINAL = new Set<number>([CLOSE.policy, CLOSE.tooBig, CLOSE.left, CLOSE.version, CLOSE.ended]);

type Hello = Extract<ClientMessage, { type: "hello" }>;

/** A page's socket: client/lib/connection.ts on the simulated network. */
abstract class Page implements Endpoint {
  readonly identity: Identity;
  protected readonly net: Network;
  status: "connecting" | "open" | "reconnecting" = "connecting";
  /** Error frames without a cid (the page would show them as a notice). */
  readonly notices: string[] = [];
  private wire?: Wire;
  private attempts = 0;
  private lastHeard = 0;
  private stopHeartbeat?: () => void;
  private stopRetry?: () => void;
  private cids = 0;

  constructor(net: Network, identity: Identity) {
    this.net = net;
    this.identity = identity;
  }

  get id(): string {
    return this.identity.id;
  }

  /** Connected, welcomed, and nothing of its own on the way. */
  get settled(): boolean {
    return this.status === "open" && this.wire?.alive === true && !this.busy;
  }

  protected abstract hello(): Hello;
  protected abstract onMessage(msg: ServerMessage): void;
  /** Something is pending or being seeded. */
  protected abstract get busy(): boolean;

  open(): void {
    this.stopRetry = undefined;
    const wire = this.net.open(this);
    this.wire = wire;
    this.lastHeard = this.net.clock.now();
    this.heartbeat(wire);
    wire.fromPage(JSON.stringify(this.hello()));
  }

  frame(wire: Wire, data: string): void {
    if (wire !== this.wire) return;
    this.lastHeard = this.net.clock.now();
    const msg = JSON.parse(data) as ServerMessage;
    if (msg.type === "welcome") {
      this.attempts = 0;
      this.status = "open";
    }
    this.onMessage(msg);
  }

  closed(wire: Wire, code: number): void {
    if (wire !== this.wire) return;
    this.abandon(wire);
    if (FINAL.has(code)) {
      this.net.failures.push(`${this.identity.name}'s socket was closed for good (${code})`);
      return;
    }
    this.retry();
  }

  /** False when the socket is not open: the caller keeps the message pending. */
  protected send(msg: ClientMessage): boolean {
    if (!this.wire || this.status !== "open") return false;
    return this.wire.fromPage(JSON.stringify(msg));
  }

  protected newCid(): string {
    return `${this.identity.name}-${++this.cids}`;
  }

  private heartbeat(wire: Wire): void {
    this.stopHeartbeat = this.net.clock.setTimeout(() => {
      if (this.net.clock.now() - this.lastHeard > HEARTBEAT.deadAfterMs) {
        this.abandon(wire);
        this.retry();
        return;
      }
      wire.fromPage(JSON.stringify({ type: "ping" }));
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
    this.stopRetry = this.net.clock.setTimeout(() => this.open(), delay);
  }

  get reconnecting(): boolean {
    return this.stopRetry !== undefined;
  }
}

/** The patient's page: client/patient/model.ts without the UI. */
export class PatientPage extends Page {
  messages: ChatMessage[] = [];
  pending: Pending[] = [];
  private readonly epoch = new Epoch();
  private erasedUpto = 0;

  protected get busy(): boolean {
    return this.pending.length > 0 || this.epoch.seeding;
  }

  private cursor(): number {
    return this.messages.at(-1)?.seq ?? 0;
  }

  protected hello(): Hello {
    return { type: "hello", v: PROTOCOL_VERSION, ...(this.epoch.current ? { resume: { epoch: this.epoch.current, cursors: { [this.id]: this.cursor() } } } : {}) };
  }

  /** The patient writes; the message is pending until the room echoes or acks it. */
  write(text: string): string {
    const cid = this.newCid();
    this.pending = [...this.pending, { cid, text }];
    this.send({ type: "send", cid, text });
    return cid;
  }

  private settle(cid: string): void {
    this.pending = this.pending.filter((p) => p.cid !== cid);
  }

  protected onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case "welcome": {
        if (this.epoch.welcome(msg.epoch).handBack) {
          for (const frame of seedFrames(msg.self.id, this.messages)) this.send(frame);
          this.send({ type: "ping" });
        }
        for (const p of this.pending) if (!p.failed) this.send({ type: "send", cid: p.cid, text: p.text });
        return;
      }
      case "pong":
        return this.epoch.pong();
      case "ack":
        return this.settle(msg.cid);
      case "resync":
        this.messages = [];
        return;
      case "msg": {
        if (msg.from === "patient") this.settle(msg.cid);
        const next = msg.seq > this.erasedUpto ? merge(this.messages, msg) : null;
        if (next) this.messages = next;
        return;
      }
      case "erased":
        this.erasedUpto = Math.max(this.erasedUpto, msg.upto);
        this.messages = this.messages.filter((m) => m.seq > msg.upto);
        return;
      case "error":
        if (msg.cid) this.pending = this.pending.map((p) => (p.cid === msg.cid ? { ...p, failed: msg.message } : p));
        else this.notices.push(`${msg.code}: ${msg.message}`);
        return;
      default:
        return;
    }
  }
}

/** The provider's dashboard: client/provider/model.ts without the UI. */
export class ProviderPage extends Page {
  readonly threads = new Map<string, Thread>();
  private readonly epoch = new Epoch();

  protected get busy(): boolean {
    return this.epoch.seeding || [...this.threads.values()].some((t) => t.pending.value.length > 0);
  }

  protected hello(): Hello {
    const cursors = Object.fromEntries([...this.threads.values()].map((t) => [t.id, t.cursor]));
    return { type: "hello", v: PROTOCOL_VERSION, ...(this.epoch.current ? { resume: { epoch: this.epoch.current, cursors } } : {}) };
  }

  /** The provider writes to a patient; pending until the room echoes or acks it. */
  write(to: string, text: string): string {
    const t = this.threads.get(to);
    if (!t) throw new Error(`the provider's page does not know patient ${to}`);
    const cid = this.newCid();
    t.pending.value = [...t.pending.value, { cid, text }];
    this.send({ type: "send", to, cid, text });
    return cid;
  }

  protected onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case "welcome":
        if (this.epoch.welcome(msg.epoch).handBack) this.seed();
        for (const t of this.threads.values()) for (const p of t.pending.value) if (!p.failed) this.send({ type: "send", to: t.id, cid: p.cid, text: p.text });
        return;
      case "pong":
        return this.epoch.pong();
      case "ack":
        this.threads.get(msg.patient)?.settle(msg.cid);
        return;
      case "resync":
        this.threads.get(msg.patient)?.resync();
        return;
      case "queue": {
        const present = new Set([...msg.patients.map((p) => p.id), ...(this.epoch.seeding ? this.threads.keys() : [])]);
        for (const p of msg.patients) {
          const t = this.threads.get(p.id);
          if (t) t.status.value = p.status;
          else this.threads.set(p.id, new Thread(p));
        }
        for (const t of this.threads.values()) if (!present.has(t.id)) this.patientLeft(t.id);
        return;
      }
      case "patient": {
        const t = this.threads.get(msg.patient.id);
        if (t) t.status.value = msg.patient.status;
        else this.threads.set(msg.patient.id, new Thread(msg.patient));
        return;
      }
      case "patient_left":
        return this.patientLeft(msg.id);
      case "msg":
        this.threads.get(msg.patient)?.receive(msg);
        return;
      case "error": {
        const t = msg.cid ? [...this.threads.values()].find((t) => t.pending.value.some((p) => p.cid === msg.cid)) : undefined;
        if (t) t.pending.value = t.pending.value.map((p) => (p.cid === msg.cid ? { ...p, failed: msg.message } : p));
        else this.notices.push(`${msg.code}: ${msg.message}`);
        return;
      }
      default:
        return;
    }
  }

  /** Hands a reset room back every conversation: queue entry and messages. */
  private seed(): void {
    for (const t of this.threads.values()) {
      const info = { name: t.name, checkedInAt: t.checkedInAt };
      for (const frame of seedFrames(t.id, t.messages.value, { info })) this.send(frame);
    }
    this.send({ type: "ping" });
  }

  /** No patient leaves in the simulation: the room forgetting one is a failure. */
  private patientLeft(id: string): void {
    this.net.failures.push(`the provider saw ${this.threads.get(id)?.name ?? id} leave`);
  }
}
