import { Conversation } from "./conversation";
import {
  CLOSE,
  HEARTBEAT,
  PROTOCOL_VERSION,
  type ChatMessage,
  type ClientMessage,
  type PatientInfo,
  type Role,
  type ServerMessage,
  type SessionInfo,
} from "./protocol";
import { randomId } from "./ids";
import { KeyedLimiter, TokenBucket } from "./rate-limit";
import { Conn } from "./room-connection";

/** The least a socket must do; the Durable Object adapts a WebSocket to it. */
export interface Peer {
  send(data: string): void;
  close(code: number, reason: string): void;
}

/** Who is on a socket, as the worker verified it from a signed token. */
export interface Identity {
  role: Role;
  id: string;
  name: string;
  /** Patients only: the check-in time, which orders the queue. */
  checkedInAt?: number;
  /** Patients who joined through a scheduled link: that session. */
  session?: SessionInfo;
}

export interface Clock {
  now(): number;
  /** Returns a function that cancels the timer. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/** Ids only: audit events never carry names or message text. */
export interface AuditEvent {
  event: "joined" | "left" | "erased" | "admitted" | "ended" | "downloaded";
  room: string;
  participant: string;
  role: Role;
}

export interface RoomOptions {
  name: string;
  /**
   * Signs a message's canonical form (an HMAC under the worker's secret), so
   * that after a reset the room takes back only messages it issued.
   */
  sign: (data: string) => string;
  /** How long a patient whose sockets all dropped keeps their place. */
  graceMs: number;
  /** Most patients in the queue at once. */
  capacity: number;
  clock?: Clock;
  epoch?: string;
  /** Frames a connection may send at once, and refilled per second. */
  burst?: number;
  perSecond?: number;
  /** Check-ins one client address may make at once, and per minute after that. */
  checkInsPerMinute?: number;
  /** A socket silent this long is closed as dead; 0 turns heartbeats off. */
  deadAfterMs?: number;
  /**
   * The first sequence number is above this. By default it comes from the
   * clock, so it is above anything an earlier instance of the room issued.
   */
  seqBase?: number;
  audit?: (event: AuditEvent) => void;
}

type Resume = NonNullable<Extract<ClientMessage, { type: "hello" }>["resume"]>;
type Seed = Extract<ClientMessage, { type: "seed" }>;

export type AdmitResult = { ok: true } | { ok: false; reason: "full" | "too_many" };

interface Patient {
  info: PatientInfo;
  conns: Set<Conn>;
  convo: Conversation;
  cancelLeave?: () => void;
}

/** One socket in the room. */
export interface Connection {
  readonly identity: Identity;
  /** Feed one frame from the socket. */
  receive(data: unknown): void;
  /** Tell the room the socket has closed. */
  closed(): void;
}

/**
 * A waiting room: the patient queue and one conversation per patient with
 * the provider. Plain TypeScript with no runtime dependency, so it is tested
 * without workerd; the Durable Object only wires sockets to it.
 */
export class Room {
  readonly name: string;
  readonly epoch: string;
  readonly seqBase: number;
  private readonly opts: Required<Omit<RoomOptions, "audit" | "epoch" | "seqBase">> & Pick<RoomOptions, "audit">;
  private readonly patients = new Map<string, Patient>();
  private readonly providers = new Set<Conn>();
  /** Every open socket, said hello or not, for the heartbeat sweep. */
  private readonly sockets = new Set<Conn>();
  private readonly checkIns: KeyedLimiter;
  /** Page loads that said hello as fresh pages: for a patient, the seq their page started after. */
  private readonly pages = new Map<string, number>();
  private stopSweep?: () => void;
  private lastSigned?: { data: string; sig: string };

  constructor(options: RoomOptions) {
    this.name = options.name;
    this.epoch = options.epoch ?? crypto.randomUUID();
    this.opts = { clock: systemClock, burst: 30, perSecond: 10, checkInsPerMinute: 10, deadAfterMs: HEARTBEAT.deadAfterMs, ...options };
    this.seqBase = options.seqBase ?? this.opts.clock.now() * 1000;
    this.checkIns = new KeyedLimiter(this.opts.checkInsPerMinute, this.opts.checkInsPerMinute / 60);
  }

  get patientCount(): number {
    return this.patients.size;
  }

  /**
   * Puts a checked-in patient in the queue; they then have the grace period
   * to connect. With `session`, they arrive straight into a text-only
   * session (a scheduled link).
   */
  admit(identity: Identity): AdmitResult {
    if (this.patients.has(identity.id)) return { ok: true };
    if (this.patients.size >= this.opts.capacity) return { ok: false, reason: "full" };
    const { session } = identity;
    const patient: Patient = {
      info: {
        id: identity.id,
        name: identity.name,
        checkedInAt: identity.checkedInAt ?? this.opts.clock.now(),
        status: "waiting",
        ...(session ? { session } : {}),
      },
      conns: new Set(),
      convo: new Conversation(identity.id, this.seqBase),
    };
    this.patients.set(identity.id, patient);
    this.startLeaveTimer(patient);
    this.toProviders({ type: "patient", patient: patient.info });
    this.audit("joined", identity);
    if (session) this.audit("admitted", identity);
    return { ok: true };
  }

  /** A new check-in from `address`: limited per address, then admitted. */
  checkIn(identity: Identity, address: string): AdmitResult {
    if (!this.checkIns.take(address, this.now())) return { ok: false, reason: "too_many" };
    return this.admit(identity);
  }

  connect(peer: Peer, identity: Identity): Connection {
    const conn = new Conn(this, peer, identity, new TokenBucket(this.opts.burst, this.opts.perSecond, this.now()));
    this.sockets.add(conn);
    if (!this.stopSweep && this.opts.deadAfterMs > 0) this.scheduleSweep();
    return conn;
  }

  /** A snapshot of the queue, oldest check-in first. */
  queue(): PatientInfo[] {
    return [...this.patients.values()].map((p) => p.info).sort((a, b) => a.checkedInAt - b.checkedInAt);
  }

  // ---- called by connections ------------------------------------------------

  /** @internal */
  now(): number {
    return this.opts.clock.now();
  }

  /**
   * @internal A socket said hello. `resume` is honoured only for this room's
   * epoch; otherwise the page is treated as fresh.
   */
  hello(conn: Conn, resume?: Resume, page?: string): void {
    const { identity } = conn;
    // A page from before a reset holds a copy the room lost: it gets all the
    // room has (it merges by seq), then hands back its copy (seed).
    const cursors = !resume ? undefined : resume.epoch === this.epoch ? resume.cursors : {};
    // A fresh page we have seen before lost its first socket before the welcome: not a reload.
    const pageKey = !resume && page ? `${identity.role}:${identity.id}:${page}` : undefined;
    const floor = pageKey ? this.pages.get(pageKey) : undefined;
    if (identity.role === "provider") {
      if (pageKey && floor === undefined) this.rememberPage(pageKey, 0);
      return this.providerJoined(conn, floor === undefined ? cursors : {});
    }
    let patient = this.patients.get(identity.id);
    if (!patient) {
      // A valid token for a patient this room does not know: the room's
      // memory was reset, or the grace period ran out. Re-admit them at
      // their original check-in time.
      if (!this.admit(identity).ok) {
        conn.error("forbidden", "The waiting room is full. Please try again later.");
        conn.drop(CLOSE.left, "full");
        return;
      }
      patient = this.patients.get(identity.id)!;
    }
    patient.cancelLeave?.();
    patient.cancelLeave = undefined;
    patient.conns.add(conn);
    conn.ready = true;
    conn.send(this.welcome(identity));
    // A fresh page starts empty; a resuming one gets what it missed.
    if (cursors) this.catchUp(conn, patient.convo, cursors[identity.id]);
    else if (floor !== undefined) for (const msg of patient.convo.after(floor)) conn.send(msg);
    else if (pageKey) this.rememberPage(pageKey, patient.convo.seq);
    if (patient.info.status !== "waiting") {
      patient.info = { ...patient.info, status: "waiting" };
      this.toProviders({ type: "patient", patient: patient.info });
    }
  }

  private providerJoined(conn: Conn, cursors?: Record<string, unknown>): void {
    const wasOnline = this.providers.size > 0;
    // A fresh provider page erases what the previous page had been shown;
    // what no provider page has seen yet is kept and delivered now.
    if (!cursors) for (const patient of this.patients.values()) {
      const { convo } = patient;
      if (convo.deliveredToProvider > 0 && convo.erase(convo.deliveredToProvider) > 0) this.announceErase(patient);
    }
    this.providers.add(conn);
    conn.ready = true;
    conn.send(this.welcome(conn.identity));
    conn.send({ type: "queue", patients: this.queue() });
    for (const patient of this.patients.values()) {
      this.catchUp(conn, patient.convo, cursors?.[patient.info.id]);
      patient.convo.deliveredToProvider = patient.convo.seq;
    }
    if (!wasOnline) this.toAllPatients({ type: "provider", online: true });
  }

  /** @internal */
  handle(conn: Conn, msg: ClientMessage): void {
    const { identity } = conn;
    switch (msg.type) {
      case "hello":
        return conn.error("bad_frame", "Already connected.");
      case "ping":
        return conn.send({ type: "pong" });
      case "pong":
        return; // A heartbeat answer: receiving it was the point.
      case "seed":
        return this.seed(conn, msg);
      case "send": {
        if (identity.role === "patient") {
          const patient = this.patients.get(identity.id);
          if (!patient) return conn.error("recipient_left", "You are no longer in the waiting room.", msg.cid);
          return this.deliver(patient, conn, msg.cid, msg.text);
        }
        if (!msg.to) return conn.error("no_recipient", "Choose a patient to send to.", msg.cid);
        const patient = this.patients.get(msg.to);
        if (!patient) return conn.error("recipient_left", "This patient has left the waiting room.", msg.cid);
        return this.deliver(patient, conn, msg.cid, msg.text);
      }
      case "broadcast": {
        if (identity.role !== "provider") return conn.error("forbidden", "Only the provider can do that.", msg.cid);
        for (const patient of this.patients.values()) this.deliver(patient, conn, msg.cid, msg.text, true);
        return;
      }
      case "erase": {
        if (identity.role !== "provider") return conn.error("forbidden", "Only the provider can do that.");
        const patient = this.patients.get(msg.patient);
        const event: ServerMessage = { type: "erased", patient: msg.patient, upto: msg.upto };
        if (patient) {
          patient.convo.erase(msg.upto);
          this.toConversation(patient, event);
        } else this.toProviders(event);
        this.audit("erased", { role: "patient", id: msg.patient });
        return;
      }
      case "leave": {
        if (identity.role !== "patient") return conn.error("forbidden", "Only a patient can leave the queue.");
        return this.removePatient(identity.id);
      }
      case "start_session":
      case "end_session":
      case "downloaded": {
        if (identity.role !== "provider") return conn.error("forbidden", "Only the provider can do that.");
        const patient = this.patients.get(msg.patient);
        if (!patient) return conn.error("recipient_left", "This patient has left the waiting room.");
        if (msg.type === "downloaded") {
          this.toPatient(patient, { type: "downloaded", patient: patient.info.id });
          return this.audit("downloaded", patient.info);
        }
        if (msg.type === "end_session") {
          return patient.info.session ? this.endSession(patient) : conn.error("bad_frame", "There is no session to end.");
        }
        if (patient.info.session) return conn.send({ type: "session_started", patient: patient.info.id, session: patient.info.session });
        return this.startSession(patient);
      }
    }
  }

  /** @internal */
  disconnected(conn: Conn): void {
    if (conn.identity.role === "provider") {
      if (this.providers.delete(conn) && this.providers.size === 0) {
        this.toAllPatients({ type: "provider", online: false });
      }
      return;
    }
    const patient = this.patients.get(conn.identity.id);
    if (!patient || !patient.conns.delete(conn) || patient.conns.size > 0) return;
    patient.info = { ...patient.info, status: "away" };
    this.toProviders({ type: "patient", patient: patient.info });
    this.startLeaveTimer(patient);
  }

  // ---- internals ------------------------------------------------------------

  private deliver(patient: Patient, sender: Conn, cid: string, text: string, broadcast = false): void {
    const from = sender.identity;
    // A page resends what it saw no echo for after a reconnect: it is applied
    // once, and the page is told the seq it got.
    const earlier = patient.convo.appliedSeq(from.role, cid);
    if (earlier !== undefined) return sender.send({ type: "ack", patient: patient.info.id, cid, seq: earlier });
    const fields = { cid, from: from.role, name: from.name, text, time: this.now(), ...(broadcast ? { broadcast: true as const } : {}) };
    this.share(patient, patient.convo.append(fields, (m) => this.signed(canonical(this.name, m))));
  }

  /** Sends a page what it has not seen of a conversation, or a clean resync. */
  private catchUp(conn: Conn, convo: Conversation, cursor: unknown = 0): void {
    const known = typeof cursor === "number" && Number.isSafeInteger(cursor) && cursor >= 0;
    const { resync, messages } = known ? convo.since(cursor) : { resync: true, messages: convo.messages };
    if (resync) conn.send({ type: "resync", patient: convo.patient });
    // The page may hold what was erased while it was away (or before a reset).
    else if (convo.erasedUpto > 0) conn.send({ type: "erased", patient: convo.patient, upto: convo.erasedUpto });
    for (const msg of messages) conn.send(msg);
  }

  /**
   * A page's copy of a conversation from before a reset. Only messages this
   * room signed are taken back, and never below an erase. Only the provider
   * may restore a queue entry, a session or an erase point.
   */
  private seed(conn: Conn, seed: Seed): void {
    const { identity } = conn;
    const isProvider = identity.role === "provider";
    if (!isProvider && seed.patient !== identity.id) return conn.error("forbidden", "You can only restore your own conversation.");
    let patient = this.patients.get(seed.patient);
    if (!patient && isProvider && seed.info) {
      const { name, checkedInAt, session } = seed.info;
      if (this.admit({ role: "patient", id: seed.patient, name, checkedInAt, ...(session ? { session } : {}) }).ok) {
        patient = this.patients.get(seed.patient)!;
        // They have not reconnected yet: away until they do, or the grace period ends.
        patient.info = { ...patient.info, status: "away" };
        this.toProviders({ type: "patient", patient: patient.info });
      }
    }
    if (!patient) return conn.error("recipient_left", "This patient has left the waiting room.");
    const { convo } = patient;
    if (isProvider && seed.info?.session && !patient.info.session) {
      patient.info = { ...patient.info, session: seed.info.session };
      this.toConversation(patient, { type: "session_started", patient: patient.info.id, session: seed.info.session });
    }
    const erasedBefore = convo.erasedUpto;
    if (isProvider && seed.erased !== undefined) convo.erase(Math.min(seed.erased, this.seqBase));
    // Pages may hold the erased messages even though the room never had them.
    if (convo.erasedUpto > erasedBefore) this.announceErase(patient);
    let refused = 0;
    for (const msg of seed.messages) {
      const authentic = msg.patient === seed.patient && sameSig(this.signed(canonical(this.name, msg)), msg.sig);
      if (!authentic) refused++;
      else if (convo.restore(msg)) this.share(patient, msg, conn);
    }
    if (refused > 0) conn.error("bad_seed", "Some messages could not be restored.");
  }

  /** The signature of `data`; a broadcast signs the same data for every conversation, so the last one is kept. */
  private signed(data: string): string {
    if (this.lastSigned?.data !== data) this.lastSigned = { data, sig: this.opts.sign(data) };
    return this.lastSigned.sig;
  }

  /** Sends a message to its conversation (but the page it came back from, if restored), noting what providers saw. */
  private share(patient: Patient, msg: ChatMessage, except?: Conn): void {
    this.toConversation(patient, msg, except);
    if (this.providers.size > 0) patient.convo.deliveredToProvider = Math.max(patient.convo.deliveredToProvider, msg.seq);
  }

  /** Tells everyone in a conversation where it is now erased up to. */
  private announceErase(patient: Patient): void {
    this.toConversation(patient, { type: "erased", patient: patient.info.id, upto: patient.convo.erasedUpto });
  }

  private rememberPage(key: string, floor: number): void {
    if (this.pages.size >= 10_000) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(key, floor);
  }

  /** @internal A socket closed, whether or not it said hello. */
  forget(conn: Conn): void {
    this.sockets.delete(conn);
    if (this.sockets.size === 0) {
      this.stopSweep?.();
      this.stopSweep = undefined;
    }
  }

  /**
   * Once a second: pings the pages whose turn it is (each about every
   * interval), and closes sockets that have been silent too long: their page
   * is gone, or the network is.
   */
  private scheduleSweep(): void {
    this.stopSweep = this.opts.clock.setTimeout(() => {
      const now = this.now();
      const cutoff = now - this.opts.deadAfterMs;
      for (const conn of [...this.sockets]) {
        if (conn.lastHeard < cutoff) conn.drop(CLOSE.silent, "silent");
        else if (conn.ready && conn.nextPing <= now) {
          conn.nextPing = now + HEARTBEAT.intervalMs;
          conn.sendRaw(PING);
        }
      }
      this.stopSweep = undefined;
      if (this.sockets.size > 0) this.scheduleSweep();
    }, SWEEP_MS);
  }

  private startSession(patient: Patient): void {
    const session: SessionInfo = { id: randomId(), startedAt: this.now() };
    patient.info = { ...patient.info, session };
    this.toConversation(patient, { type: "session_started", patient: patient.info.id, session });
    this.audit("admitted", patient.info);
  }

  /** Ends a session for everyone at once and frees all of it. */
  private endSession(patient: Patient): void {
    const id = patient.info.session?.id ?? "";
    this.toConversation(patient, { type: "session_ended", patient: patient.info.id, id, endedAt: this.now() });
    this.removePatient(patient.info.id, CLOSE.ended, false);
    this.audit("ended", patient.info);
  }

  private removePatient(id: string, code: number = CLOSE.left, announce = true): void {
    const patient = this.patients.get(id);
    if (!patient) return;
    patient.cancelLeave?.();
    this.patients.delete(id);
    for (const conn of [...patient.conns]) conn.drop(code, code === CLOSE.ended ? "ended" : "left");
    if (!announce) return;
    this.toProviders({ type: "patient_left", id });
    this.audit("left", patient.info);
  }

  private startLeaveTimer(patient: Patient): void {
    patient.cancelLeave?.();
    patient.cancelLeave = this.opts.clock.setTimeout(() => this.removePatient(patient.info.id), this.opts.graceMs);
  }

  private welcome(identity: Identity): ServerMessage {
    const session = identity.role === "patient" ? this.patients.get(identity.id)?.info.session : undefined;
    return {
      type: "welcome",
      v: PROTOCOL_VERSION,
      epoch: this.epoch,
      room: this.name,
      role: identity.role,
      self: { id: identity.id, name: identity.name },
      now: this.now(),
      providerOnline: this.providers.size > 0,
      ...(session ? { session } : {}),
    };
  }

  private toProviders(msg: ServerMessage): void {
    if (this.providers.size === 0) return;
    const frame = JSON.stringify(msg);
    for (const conn of this.providers) conn.sendRaw(frame);
  }

  private toPatient(patient: Patient, msg: ServerMessage): void {
    if (patient.conns.size === 0) return;
    const frame = JSON.stringify(msg);
    for (const conn of patient.conns) conn.sendRaw(frame);
  }

  /** To the patient's pages and every provider page, serialized once. */
  private toConversation(patient: Patient, msg: ServerMessage, except?: Conn): void {
    const frame = JSON.stringify(msg);
    for (const conn of patient.conns) if (conn !== except) conn.sendRaw(frame);
    for (const conn of this.providers) if (conn !== except) conn.sendRaw(frame);
  }

  private toAllPatients(msg: ServerMessage): void {
    const frame = JSON.stringify(msg);
    for (const patient of this.patients.values()) for (const conn of patient.conns) conn.sendRaw(frame);
  }

  private audit(event: AuditEvent["event"], who: { id: string; role?: Role }): void {
    this.opts.audit?.({ event, room: this.name, participant: who.id, role: who.role ?? "patient" });
  }
}

const PING = JSON.stringify({ type: "ping" } satisfies ServerMessage);
const SWEEP_MS = 1000;

/**
 * What the room signs for a message: everything a page could tamper with.
 * A message to everyone waiting is signed once, without its conversation and
 * seq: a patient could only hand back, into their own conversation, words the
 * provider really sent to everyone at that time, and only once (by client id).
 */
function canonical(room: string, m: Omit<ChatMessage, "sig">): string {
  const where = m.broadcast ? ["everyone"] : [m.patient, m.seq];
  return JSON.stringify([room, ...where, m.cid, m.from, m.name, m.text, m.time, m.broadcast === true]);
}

/** Compares signatures in time independent of where they differ. */
function sameSig(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
