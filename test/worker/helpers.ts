/**
 * Real HTTP and WebSocket round trips through the worker, inside workerd.
 * Every wait has a timeout; nothing sleeps.
 */
import { listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { PING_FRAME, PONG_FRAME, PROTOCOL_VERSION, type ChatMessage, type ServerMessage, type ServerMessageOf, type StaffRole } from "../../protocol/wire";
import { signStaffLink } from "../../worker/tokens";
import { copyOf } from "../support/copy";

export const ORIGIN = "http://example.com";
const WAIT_MS = 3_000;

/** A room id no other test uses, so every test gets its own Durable Object. */
export function freshRoom(label = "room"): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`;
}

/** The room's Durable Object. */
export const roomStub = (room: string) => env.ROOMS.get(env.ROOMS.idFromName(room));

/**
 * Whether the room's Durable Object was ever created. It is created by the
 * first request that reaches it, even though it never writes to storage.
 */
export async function roomReached(room: string): Promise<boolean> {
  const id = env.ROOMS.idFromName(room);
  return (await listDurableObjectIds(env.ROOMS)).some((other) => other.equals(id));
}

/**
 * Everything printed to the console from now until `vi.restoreAllMocks()`:
 * the worker and its Durable Objects run in the test's isolate, so this
 * includes the room's audit lines.
 */
export function captureConsole(): string[] {
  const lines: string[] = [];
  for (const level of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(printed).join(" "));
    });
  }
  return lines;
}

function printed(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return [value.stack ?? value.message, value.cause === undefined ? "" : printed(value.cause)].join(" ");
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function api(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(ORIGIN + path, init));
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return api(path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
}

/** `name=value` of one cookie from a response's Set-Cookie, ready for a Cookie header. */
export function cookieFrom(res: Response, name: string): string {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!header) throw new Error(`no ${name} cookie in the response`);
  return header.split(";")[0]!;
}

/** The claims of a token, or of the token in a `name=value` cookie, read without checking its signature. */
export function claimsOf(tokenOrCookie: string): Record<string, unknown> {
  const token = tokenOrCookie.slice(tokenOrCookie.indexOf("=") + 1);
  const payload = token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (ch) => ch.charCodeAt(0)))) as Record<string, unknown>;
}

export interface CheckedIn {
  id: string;
  /** The patient's conversation. */
  c: string;
  name: string;
  checkedInAt: number;
  cookie: string;
}

/** Checks a patient in; `address` is the client address Cloudflare would report (check-ins are limited per address). */
export async function checkIn(room: string, name: string, address?: string): Promise<CheckedIn> {
  const res = await postJson(`/api/rooms/${room}/check-in`, { name }, address ? { "CF-Connecting-IP": address } : {});
  expect(res.status).toBe(200);
  const body = await res.json<Omit<CheckedIn, "cookie">>();
  return { ...body, cookie: cookieFrom(res, "qc_patient") };
}

export interface LinkOptions {
  name?: string;
  role?: StaffRole;
  /** How long the link stays valid, in seconds. */
  ttl?: number;
}

/** A staff member's private link token for `room`, as `npm run provider-link` makes it. */
export function staffLink(room: string, { name = "Dr. Rivera", role = "host", ttl = 3600 }: LinkOptions = {}): Promise<string> {
  return signStaffLink(env.SESSION_SECRET, { room, name, role }, ttl);
}

/** Trades a link token for a sign-in session, as the dashboard does. */
export function signIn(token: string): Promise<Response> {
  return api("/api/provider/session", { method: "POST", headers: { Authorization: `Bearer ${token}` } });
}

/** Signs a staff link for `room` and trades it for the `qc_staff` session cookie. */
export async function staffCookie(room: string, name = "Dr. Rivera", role: StaffRole = "host"): Promise<string> {
  const res = await signIn(await staffLink(room, { name, role }));
  expect(res.status).toBe(200);
  return cookieFrom(res, "qc_staff");
}

/** Asks for a WebSocket upgrade; returns the response (which may be a refusal). */
export function upgrade(room: string, cookie?: string, opts: { as?: "staff" | "guest"; origin?: string | null } = {}): Promise<Response> {
  const headers: Record<string, string> = { Upgrade: "websocket" };
  const origin = opts.origin === undefined ? ORIGIN : opts.origin;
  if (origin !== null) headers.Origin = origin;
  if (cookie) headers.Cookie = cookie;
  return api(`/api/rooms/${room}/ws${opts.as ? `?as=${opts.as}` : ""}`, { headers });
}

const open = new Set<Socket>();

export interface WaitOptions {
  timeoutMs?: number;
  /** Only consider messages from this index on (see `Socket.mark`). */
  from?: number;
}

export interface Resume {
  pass: string;
  epoch: string;
  n: number;
}

/**
 * One browser page's socket: everything it received, and waits on it. Like
 * a page, it answers the room's heartbeat at once; heartbeats are not kept
 * in what it received.
 */
export class Socket {
  readonly received: ServerMessage[] = [];
  readonly raw: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** When each heartbeat ping arrived (ms since epoch). */
  readonly pingedAt: number[] = [];
  private readonly ws: WebSocket;
  private listeners = new Set<() => void>();

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.accept();
    open.add(this);
    ws.addEventListener("message", (event) => {
      const data = event.data as string;
      if (data === PING_FRAME) return this.answerPing();
      this.raw.push(data);
      this.received.push(JSON.parse(data) as ServerMessage);
      for (const notify of [...this.listeners]) notify();
    });
    this.closed = new Promise((resolve) => {
      ws.addEventListener("close", (event) => {
        open.delete(this);
        resolve({ code: event.code, reason: event.reason });
      });
    });
  }

  private answerPing(): void {
    this.pingedAt.push(Date.now());
    try {
      this.ws.send(PONG_FRAME);
    } catch {
      // closing
    }
    for (const notify of [...this.listeners]) notify();
  }

  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }

  sendRaw(data: string | ArrayBuffer | ArrayBufferView): void {
    this.ws.send(data);
  }

  /** Says hello as a new page load (`page` as its page id), or resuming with `resume`. */
  hello(opts: { page?: string; resume?: Resume } = {}): Promise<ServerMessageOf<"welcome">> {
    this.send({ type: "hello", v: PROTOCOL_VERSION, ...opts });
    return this.waitForType("welcome");
  }

  /** What this page would resume with: its pass, the epoch it knew and the last arrival it got. */
  resumeState(): Resume {
    const welcome = this.of("welcome").at(-1);
    if (!welcome) throw new Error("this page was never welcomed");
    const n = Math.max(0, ...this.received.flatMap((m) => (m.type === "msg" || m.type === "broadcast" ? [m.n] : [])));
    return { pass: welcome.pass, epoch: welcome.epoch, n };
  }

  /**
   * The first message received (from index `from` on) or still to come that
   * matches; rejects after `timeoutMs`.
   */
  waitFor(match: (m: ServerMessage) => boolean, opts: WaitOptions = {}): Promise<ServerMessage> {
    const { timeoutMs = WAIT_MS, from = 0 } = opts;
    return this.until(() => this.received.slice(from).find(match), timeoutMs, () => `no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.received.map((m) => m.type))}`);
  }

  /** Resolves once `count` heartbeat pings have arrived; rejects after `timeoutMs`. */
  waitForPings(count: number, timeoutMs = WAIT_MS): Promise<number[]> {
    return this.until(() => (this.pingedAt.length >= count ? this.pingedAt.slice(0, count) : undefined), timeoutMs, () => `${this.pingedAt.length} of ${count} pings within ${timeoutMs} ms`);
  }

  /** The first value `find` returns, now or after something arrives; rejects after `timeoutMs`. */
  private until<T>(find: () => T | undefined, timeoutMs: number, failure: () => string): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = find();
        if (hit === undefined) return;
        done();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(failure()));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  waitForType<T extends ServerMessage["type"]>(
    type: T,
    match: (m: ServerMessageOf<T>) => boolean = () => true,
    opts?: WaitOptions,
  ): Promise<ServerMessageOf<T>> {
    return this.waitFor((m) => m.type === type && match(m as ServerMessageOf<T>), opts) as Promise<ServerMessageOf<T>>;
  }

  /** How many messages have arrived so far: pass as `from` to wait only for later ones. */
  mark(): number {
    return this.received.length;
  }

  /**
   * Waits until everything the room sent this socket before now has arrived:
   * a socket's frames are ordered, so the answer to a ping comes after them.
   */
  async settle(): Promise<void> {
    const from = this.mark();
    this.send({ type: "ping" });
    await this.waitForType("pong", () => true, { from });
  }

  async waitForClose(timeoutMs = WAIT_MS): Promise<{ code: number; reason: string }> {
    let timer = 0;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket not closed within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  of<T extends ServerMessage["type"]>(type: T): ServerMessageOf<T>[] {
    return this.received.filter((m): m is ServerMessageOf<T> => m.type === type);
  }

  /** Chat texts received, in order (a staff page's one-frame broadcasts included). */
  texts(): string[] {
    return this.received.flatMap((m) => (m.type === "msg" || m.type === "broadcast" ? [m.text] : []));
  }

  /** This page's copy of one conversation, kept as the client keeps it; `held` is what it held before this socket. */
  copy(c: string, held: readonly ChatMessage[] = []): ChatMessage[] {
    return copyOf(this.received, c, held);
  }

  close(): void {
    open.delete(this);
    try {
      this.ws.close(1000, "test done");
    } catch {
      // already closed
    }
  }
}

export async function connect(room: string, cookie: string, opts: { as?: "staff" | "guest" } = {}): Promise<Socket> {
  const res = await upgrade(room, cookie, opts);
  expect(res.status).toBe(101);
  if (!res.webSocket) throw new Error("no WebSocket in the upgrade response");
  return new Socket(res.webSocket);
}

export interface Joined {
  socket: Socket;
  welcome: ServerMessageOf<"welcome">;
}

export interface JoinedPatient extends Joined {
  patient: CheckedIn;
}

export interface JoinedStaff extends Joined {
  cookie: string;
  /** The staff member's id in the room. */
  id: string;
}

/** Checks in, opens the waiting-room socket and says hello. */
export async function joinAsPatient(room: string, name: string): Promise<JoinedPatient> {
  const patient = await checkIn(room, name);
  const socket = await connect(room, patient.cookie);
  return { patient, socket, welcome: await socket.hello() };
}

/** Opens a staff member's dashboard socket (a host, Dr. Rivera, unless told otherwise): a fresh page unless `resume` is given. */
export async function joinAsStaff(
  room: string,
  opts: { name?: string; role?: StaffRole; cookie?: string; page?: string; resume?: Resume } = {},
): Promise<JoinedStaff> {
  const cookie = opts.cookie ?? (await staffCookie(room, opts.name, opts.role));
  const socket = await connect(room, cookie, { as: "staff" });
  const welcome = await socket.hello({ ...(opts.page ? { page: opts.page } : {}), ...(opts.resume ? { resume: opts.resume } : {}) });
  return { socket, welcome, cookie, id: welcome.self.id };
}

/**
 * Resets the room's Durable Object, as a deploy or a crash would: its memory
 * is gone, its sockets drop, and the next request gets a new instance with
 * a new epoch. (workerd logs the abort as an uncaught exception.)
 */
export async function resetRoom(room: string): Promise<void> {
  const aborted = await runInDurableObject(roomStub(room), (_instance, state) => state.abort("reset by a test")).then(
    () => false,
    () => true,
  );
  expect(aborted).toBe(true);
}

/** For afterEach: closes every socket a test left open. */
export function closeAllSockets(): void {
  for (const socket of [...open]) socket.close();
}

/** A client address of its own (the join page's tries are limited per address). */
export const newAddress = () => `198.51.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;

/** Types `code` and `name` on the join page from `address`; the answer as the page gets it. */
export function tryCode(code: string, name: string, address: string): Promise<Response> {
  return postJson("/api/join", { code, name }, { "CF-Connecting-IP": address });
}

export interface JoinedGuest extends Joined {
  cookie: string;
}

/** Joins a session by its access code and opens the guest's page. */
export async function joinAsGuest(room: string, code: string, name: string, address = newAddress()): Promise<JoinedGuest> {
  const res = await tryCode(code, name, address);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ room });
  const cookie = cookieFrom(res, "qc_guest");
  const socket = await connect(room, cookie, { as: "guest" });
  return { socket, cookie, welcome: await socket.hello() };
}

/** A host asks for a session's access code over their socket; the code. */
export async function codeFor(host: Socket, c: string): Promise<string> {
  const from = host.mark();
  host.send({ type: "new_code", c });
  const frame = await host.waitForType("access_code", (m) => m.c === c && m.code !== null, { from });
  return frame.code!.code;
}
