/**
 * The wire protocol between browsers and a room, both ways. This module is
 * the single source of truth: the worker parses every client frame with the
 * schemas below, and the client imports the same types and limits.
 *
 * The server decides identity, role, sequence numbers and time. Nothing a
 * client sends can set them.
 */
import * as v from "valibot";

/** Bumped on any incompatible change; checked in the first frame. */
export const PROTOCOL_VERSION = 1;

export const LIMITS = {
  /** Larger frames close the socket with 1009. */
  frameBytes: 64 * 1024,
  textChars: 4000,
  nameMin: 2,
  nameMax: 60,
  clientIdChars: 64,
  idChars: 64,
  /** Messages per seed frame; a page splits a long conversation. */
  seedMessages: 200,
} as const;

/** WebSocket close codes the client acts on. */
export const CLOSE = {
  normal: 1000,
  policy: 1008,
  tooBig: 1009,
  /** The patient left or was removed: do not reconnect. */
  left: 4001,
  /** Protocol version mismatch: reload the page. */
  version: 4002,
  /** The text-only session ended: do not reconnect. */
  ended: 4003,
  /** Nothing heard for too long (no heartbeat): reconnect. */
  silent: 4004,
} as const;

/**
 * Heartbeats: the room pings every page this often and a page answers at
 * once (from its message handler, which background tabs do not throttle the
 * way they throttle timers). Either side counts a socket as dead when it has
 * heard nothing for `deadAfterMs`.
 */
export const HEARTBEAT = { intervalMs: 10_000, deadAfterMs: 25_000 } as const;

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idChars));
const ClientId = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.clientIdChars));
const Text = v.pipe(
  v.string("A message must be text."),
  v.maxLength(LIMITS.textChars, `A message can be at most ${LIMITS.textChars} characters.`),
  v.check((s) => s.trim().length > 0, "A message cannot be empty."),
);
const Seq = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const Name = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.nameMax));

// ---- client → server -------------------------------------------------------

/** A message as the room sent it, handed back after a reset. */
const SeedMessage = v.strictObject({
  type: v.literal("msg"),
  patient: Id,
  seq: Seq,
  cid: ClientId,
  from: v.picklist(["provider", "patient"]),
  name: Name,
  text: Text,
  time: v.number(),
  broadcast: v.optional(v.literal(true)),
  sig: v.pipe(v.string(), v.maxLength(LIMITS.idChars)),
});

export const ClientMessage = v.variant("type", [
  v.strictObject({
    type: v.literal("hello"),
    v: v.number(),
    /**
     * A random id for this page load. A page whose first socket dropped
     * before its welcome says hello as a fresh page again; the room knows
     * it from this id, so it is not treated as a reload.
     */
    page: v.optional(Id),
    /**
     * Present when a page reconnects after a blip: the room epoch it knew and,
     * per conversation, the last sequence number it holds. Absent on a fresh
     * page, which starts with an empty conversation. A cursor that is not a
     * sequence number the room issued gets a clean resync, so cursors are
     * checked by the room, not here.
     */
    resume: v.optional(
      v.strictObject({
        epoch: v.pipe(v.string(), v.maxLength(LIMITS.idChars)),
        cursors: v.pipe(v.record(Id, v.unknown()), v.check((r) => Object.keys(r).length <= 20000)),
      }),
    ),
  }),
  /**
   * After a server reset (a new epoch), a page hands the room back its copy
   * of a conversation. The room takes back only messages it signed itself.
   * Providers also restore the patient's queue entry, session and erase point.
   */
  v.strictObject({
    type: v.literal("seed"),
    patient: Id,
    messages: v.pipe(v.array(SeedMessage), v.maxLength(LIMITS.seedMessages)),
    erased: v.optional(Seq),
    info: v.optional(
      v.strictObject({
        name: Name,
        checkedInAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
        session: v.optional(v.strictObject({ id: Id, startedAt: v.number(), scheduled: v.optional(v.literal(true)) })),
      }),
    ),
  }),
  /** Patients omit `to`; providers name the patient. */
  v.strictObject({ type: v.literal("send"), cid: ClientId, text: Text, to: v.optional(Id) }),
  v.strictObject({ type: v.literal("broadcast"), cid: ClientId, text: Text }),
  /** Erase a conversation up to and including `upto` (what the provider has seen). */
  v.strictObject({ type: v.literal("erase"), patient: Id, upto: Seq }),
  v.strictObject({ type: v.literal("leave") }),
  /** Provider only: turn a patient's chat into a text-only session, or end it. */
  v.strictObject({ type: v.literal("start_session"), patient: Id }),
  v.strictObject({ type: v.literal("end_session"), patient: Id }),
  /** Provider only: a copy of the chat was saved; the patient is told. */
  v.strictObject({ type: v.literal("downloaded"), patient: Id }),
  v.strictObject({ type: v.literal("ping") }),
  /** The answer to the room's heartbeat ping. */
  v.strictObject({ type: v.literal("pong") }),
]);
export type ClientMessage = v.InferOutput<typeof ClientMessage>;

export type ParseResult =
  | { ok: true; message: ClientMessage }
  | { ok: false; error: ErrorMessage };

/**
 * Parses one frame from a client. Never throws, never echoes the input:
 * errors say what was wrong in general terms only.
 */
export function parseClientFrame(data: unknown): ParseResult {
  if (typeof data !== "string") return fail("bad_frame", "Frames must be JSON text.");
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return fail("bad_frame", "That frame was not valid JSON.");
  }
  // Only our own messages: valibot's defaults quote the value received.
  const result = v.safeParse(ClientMessage, json, { message: NOT_UNDERSTOOD });
  if (result.success) return { ok: true, message: result.output };
  // A message's text that breaks a rule gets that rule, so the page can say so.
  const type = (json as { type?: unknown } | null)?.type;
  const textIssue = (type === "send" || type === "broadcast") && result.issues.find((i) => i.path?.[0]?.key === "text" && i.message !== NOT_UNDERSTOOD);
  if (textIssue) return fail("bad_text", textIssue.message, cidOf(json));
  return fail("bad_frame", NOT_UNDERSTOOD);
}

const NOT_UNDERSTOOD = "That frame is not a message this room understands.";

function cidOf(json: unknown): string | undefined {
  const cid = (json as { cid?: unknown } | null)?.cid;
  return typeof cid === "string" && cid.length <= LIMITS.clientIdChars ? cid : undefined;
}

function fail(code: ErrorCode, message: string, cid?: string): ParseResult {
  return { ok: false, error: { type: "error", code, message, ...(cid ? { cid } : {}) } };
}

// ---- server → client -------------------------------------------------------

export type Role = "provider" | "patient";
export type PatientStatus = "waiting" | "away";

/** A text-only session: no audio or video, the chat is the call. */
export interface SessionInfo {
  id: string;
  startedAt: number;
  /** Joined through a scheduled link rather than started from the queue. */
  scheduled?: true;
}

export interface PatientInfo {
  id: string;
  name: string;
  /** Server time (ms since epoch) of check-in; the queue is ordered by it. */
  checkedInAt: number;
  /** "away": the socket dropped and the grace period is running. */
  status: PatientStatus;
  session?: SessionInfo;
}

/** One chat message, as the server recorded it. */
export interface ChatMessage {
  type: "msg";
  /** The conversation: always the patient's id. */
  patient: string;
  seq: number;
  cid: string;
  from: Role;
  name: string;
  text: string;
  time: number;
  /** Set when the provider sent it to everyone waiting. */
  broadcast?: true;
  /** The room's signature: after a reset, the room takes back only what it signed. */
  sig: string;
}

export type ErrorCode =
  | "bad_frame"
  | "bad_text"
  | "hello_required"
  | "version"
  | "forbidden"
  | "no_recipient"
  | "recipient_left"
  | "rate_limited"
  | "bad_seed";

export interface ErrorMessage {
  type: "error";
  code: ErrorCode;
  message: string;
  cid?: string;
}

export type ServerMessage =
  | {
      type: "welcome";
      v: number;
      /** Changes when the room's memory was reset (a deploy, an eviction). */
      epoch: string;
      room: string;
      role: Role;
      self: { id: string; name: string };
      /** Server clock, so clients can show waiting times without clock skew. */
      now: number;
      providerOnline: boolean;
      /** Patients only: the text-only session they are in. */
      session?: SessionInfo;
    }
  | { type: "queue"; patients: PatientInfo[] }
  | { type: "patient"; patient: PatientInfo }
  | { type: "patient_left"; id: string }
  | ChatMessage
  /** A message sent again with the same client id: it was applied once, as `seq`. */
  | { type: "ack"; patient: string; cid: string; seq: number }
  /** Drop your copy of this conversation: the room's whole copy follows. */
  | { type: "resync"; patient: string }
  | { type: "erased"; patient: string; upto: number }
  | { type: "provider"; online: boolean }
  | { type: "session_started"; patient: string; session: SessionInfo }
  /** Everything of the session is gone from the room when this is sent. */
  | { type: "session_ended"; patient: string; id: string; endedAt: number }
  | { type: "downloaded"; patient: string }
  | { type: "pong" }
  /** Heartbeat: answer with a pong. */
  | { type: "ping" }
  | ErrorMessage;

export type ServerMessageOf<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;
