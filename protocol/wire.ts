/**
 * The wire protocol between browsers and a room, both ways. This module is
 * the single source of truth: the worker parses every client frame with the
 * schemas below, and the client imports the same types, and the limits from
 * constants.ts (which this module re-exports).
 *
 * Every chat is a conversation with an id: a patient's waiting-room chat
 * (which becomes a text-only session when a host starts one), a one-to-one
 * chat between two staff members, and a staff group. Frames speak of
 * conversation ids only.
 *
 * The server decides identity, role, sequence numbers and time. Nothing a
 * client sends can set them.
 */
import * as v from "valibot";
import { FileCancelFrame, FileOfferFrame, type FileServerMessage } from "./files.ts";
import { LIMITS, SESSION_LIMITS, type Role, type StaffRole } from "./constants.ts";

export * from "./constants.ts";

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idChars));
const ClientId = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.clientIdChars));
const Text = v.pipe(
  v.string("A message must be text."),
  v.maxLength(LIMITS.textChars, `A message can be at most ${LIMITS.textChars} characters.`),
  v.check((s) => s.trim().length > 0, "A message cannot be empty."),
);
const Seq = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const Name = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.nameMax));
const Sig = v.pipe(v.string(), v.maxLength(LIMITS.idChars));
const RoleSchema = v.picklist(["host", "staff", "patient", "guest"]);
const Member = v.strictObject({ id: Id, name: Name, role: RoleSchema });

// ---- client → server -------------------------------------------------------

/** A message as the room sent it, handed back after a reset. */
const SeedMessage = v.strictObject({
  type: v.literal("msg"),
  c: v.optional(Id),
  seq: Seq,
  n: v.optional(v.number()),
  cid: ClientId,
  by: Id,
  name: Name,
  role: RoleSchema,
  text: Text,
  time: v.number(),
  q: v.optional(v.literal(true)),
  all: v.optional(v.literal(true)),
  sig: Sig,
});

/** A staff conversation's description as the room signed it. */
const SignedMeta = v.strictObject({
  c: Id,
  kind: v.picklist(["direct", "group"]),
  title: v.optional(Name),
  owner: v.optional(Id),
  members: v.pipe(v.array(Member), v.maxLength(LIMITS.groupMembers + 1)),
  left: v.optional(v.pipe(v.array(Member), v.maxLength(LIMITS.groupMembers + 1))),
  deleted: v.optional(v.literal(true)),
  ver: Seq,
  sig: Sig,
});

/** A deleted message's tombstone as the room signed it: what was deleted (seq, and its writer's client id) and by whom. */
const SignedTombstone = v.strictObject({
  seq: Seq,
  from: Id,
  cid: ClientId,
  time: v.number(),
  by: Id,
  name: Name,
  sig: Sig,
});

const Participant = v.strictObject({
  id: Id,
  name: Name,
  role: RoleSchema,
  at: v.number(),
  gone: v.optional(v.picklist(["left", "removed"])),
  goneAt: v.optional(v.number()),
});

/** A session's participant list as the room signed it. */
const SignedRoster = v.strictObject({
  c: Id,
  members: v.pipe(v.array(Participant), v.maxLength(SESSION_LIMITS.participants)),
  sig: Sig,
});

/** A session's access code as the room signed it; only hosts' pages hold it. */
const SignedCode = v.strictObject({
  code: v.pipe(v.string(), v.regex(/^\d{9}$/)),
  until: v.number(),
  sig: Sig,
});

const PatientInfoSeed = v.strictObject({
  id: Id,
  name: Name,
  checkedInAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
  session: v.optional(v.strictObject({ id: Id, startedAt: v.number(), scheduled: v.optional(v.literal(true)) })),
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
     * Present when a page reconnects: the pass the room gave it in its
     * welcome (which proves it is that page, not a new page load on the
     * same cookie), the room epoch it knew and the arrival number of the
     * last message it got.
     */
    resume: v.optional(v.strictObject({ pass: v.pipe(v.string(), v.maxLength(256)), epoch: v.pipe(v.string(), v.maxLength(LIMITS.idChars)), n: Seq })),
  }),
  /**
   * After a server reset (a new epoch), a page hands the room back its copy
   * of a conversation. The room takes back only what it signed itself. Staff
   * also restore a patient's queue entry and session (`patient`) and the
   * erase point; staff conversations come back with their signed `meta`.
   */
  v.strictObject({
    type: v.literal("seed"),
    c: Id,
    messages: v.pipe(v.array(SeedMessage), v.maxLength(LIMITS.seedMessages)),
    erased: v.optional(Seq),
    /** Staff: erased up to here for this person only (a colleague still had it open). */
    floor: v.optional(Seq),
    patient: v.optional(PatientInfoSeed),
    meta: v.optional(SignedMeta),
    /** Tombstones of deleted messages: they only ever remove. */
    deleted: v.optional(v.pipe(v.array(SignedTombstone), v.maxLength(LIMITS.seedMessages))),
    /** Staff: a session's participant list, with who left and who was removed. */
    roster: v.optional(SignedRoster),
    /** Hosts: the session's live access code. */
    code: v.optional(SignedCode),
  }),
  v.strictObject({ type: v.literal("send"), c: Id, cid: ClientId, text: Text }),
  /** Staff: one message to every patient in the queue. */
  v.strictObject({ type: v.literal("broadcast"), cid: ClientId, text: Text }),
  /** Staff: the conversation now in this page's chat box, or none. */
  v.strictObject({ type: v.literal("view"), c: v.nullable(Id) }),
  /** Staff: the chat box was closed (or another opened, or a call started): erase up to `upto`. */
  v.strictObject({ type: v.literal("close"), c: Id, upto: Seq }),
  /** A patient leaves the waiting room. */
  v.strictObject({ type: v.literal("leave") }),
  /** Hosts: turn a patient's chat into a text-only session, or end it. */
  v.strictObject({ type: v.literal("start_session"), c: Id }),
  v.strictObject({ type: v.literal("end_session"), c: Id }),
  /** Staff: a copy of the chat was saved; the patient is told. */
  v.strictObject({ type: v.literal("downloaded"), c: Id }),
  /** Staff: open (or create) the one-to-one chat with a colleague. */
  v.strictObject({ type: v.literal("direct"), with: Id }),
  /** Hosts: a staff group with these colleagues. */
  v.strictObject({ type: v.literal("create_group"), cid: ClientId, title: Name, members: v.pipe(v.array(Id), v.minLength(1), v.maxLength(LIMITS.groupMembers)) }),
  v.strictObject({ type: v.literal("leave_group"), c: Id }),
  v.strictObject({ type: v.literal("delete_group"), c: Id }),
  /** Staff: this person's own settings for a staff conversation. */
  v.strictObject({ type: v.literal("prefs"), c: Id, muted: v.optional(v.boolean()), archived: v.optional(v.boolean()) }),
  /** Staff: the page is hidden or idle (away), or in use again. */
  v.strictObject({ type: v.literal("presence"), away: v.boolean() }),
  /** This person is typing in `c`; the others there are told (nothing is kept). */
  v.strictObject({ type: v.literal("typing"), c: Id }),
  /** Deletes one message for everyone: a host any message, everyone else their own. */
  v.strictObject({ type: v.literal("delete"), c: Id, seq: Seq }),
  /** Hosts: a new access code for a session (the one it had stops working), or withdraw it. */
  v.strictObject({ type: v.literal("new_code"), c: Id }),
  v.strictObject({ type: v.literal("withdraw_code"), c: Id }),
  /** Hosts: take the patient or a guest out of a session. */
  v.strictObject({ type: v.literal("remove"), c: Id, id: Id }),
  /** Everyone but a host: leave a session. */
  v.strictObject({ type: v.literal("leave_session"), c: Id }),
  v.strictObject({ type: v.literal("ping") }),
  /** The answer to the room's heartbeat ping (the room compares the text, it never parses it). */
  v.strictObject({ type: v.literal("pong") }),
  FileOfferFrame,
  FileCancelFrame,
]);
export type ClientMessage = v.InferOutput<typeof ClientMessage>;
export type ClientMessageOf<T extends ClientMessage["type"]> = Extract<ClientMessage, { type: T }>;
export type Seed = ClientMessageOf<"seed">;

export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; error: ErrorMessage };

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
  return commonFrame(json) ?? parseWithSchemas(json);
}

/**
 * The commonest frames (a message, a message to everyone waiting), checked
 * by hand: accepted only when the schemas above would accept them, with the
 * same output; anything else is left to the schemas, so every error answer
 * is theirs.
 */
function commonFrame(json: unknown): ParseResult | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const m = json as Record<string, unknown>;
  const { type, cid, text } = m;
  let keys = 0;
  for (const _ in m) keys++;
  if (typeof cid !== "string" || cid.length < 1 || cid.length > LIMITS.clientIdChars) return undefined;
  if (typeof text !== "string" || text.length > LIMITS.textChars || text.trim().length === 0) return undefined;
  if (type === "broadcast" && keys === 3) return { ok: true, message: { type, cid, text } };
  const { c } = m;
  if (type !== "send" || keys !== 4 || typeof c !== "string" || c.length < 1 || c.length > LIMITS.idChars) return undefined;
  return { ok: true, message: { type, c, cid, text } };
}

/**
 * The general parser, which `parseClientFrame` falls back to for all but
 * the commonest frames; tests hold the two to the same answers.
 */
export function parseWithSchemas(json: unknown): ParseResult {
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

export type PatientStatus = "waiting" | "away";
export type Presence = "online" | "away";

/** A text-only session: no audio or video, the chat is the call. */
export interface SessionInfo {
  id: string;
  startedAt: number;
  /** Joined through a scheduled link rather than started from the queue. */
  scheduled?: true;
}

export interface Member {
  id: string;
  name: string;
  role: Role;
}

/** A patient in the queue, as staff see it; `c` is their conversation. */
export interface QueueEntry {
  c: string;
  id: string;
  name: string;
  /** Server time (ms since epoch) of check-in; the queue is ordered by it. */
  checkedInAt: number;
  /** "away": the socket dropped and the grace period is running. */
  status: PatientStatus;
  session?: SessionInfo;
}

/** A colleague signed in to the same waiting room. */
export interface StaffEntry extends Member {
  role: StaffRole;
  presence: Presence;
}

/** A staff conversation as the room signed it; pages hand it back after a reset. */
export interface ConversationMeta {
  c: string;
  kind: "direct" | "group";
  /** Groups: the name their owner gave. */
  title?: string;
  /** Groups: the host who created it and may delete it. */
  owner?: string;
  members: Member[];
  /** Groups: members who left. */
  left?: Member[];
  /** The group was deleted: pages drop it and never hand it back. */
  deleted?: true;
  /** Grows with every change, so the newest description wins after a reset. */
  ver: number;
  sig: string;
}

/** One chat message, as the server recorded it. */
export interface ChatMessage {
  type: "msg";
  /** The conversation. */
  c: string;
  /** Order within the conversation; keeps growing across erases and server resets. */
  seq: number;
  /** Arrival in this room instance: a page resumes from the last it got. Not part of the record. */
  n: number;
  /** The sender page's id for this message: a resend is applied once. */
  cid: string;
  /** Who wrote it: their id, name and role. */
  by: string;
  name: string;
  role: Role;
  text: string;
  time: number;
  /** Written while no staff page was connected. */
  q?: true;
  /** Sent by staff to everyone waiting. */
  all?: true;
  /** The room's signature: after a reset, the room takes back only what it signed. */
  sig: string;
}

/** What is left of a deleted message, everywhere it was: the room keeps it so no copy brings the text back. */
export interface Tombstone {
  seq: number;
  /** The deleted message's writer and client id: a resend of it after a restart stays deleted too. */
  from: string;
  cid: string;
  /** When the deleted message was written: where its place is. */
  time: number;
  /** Who deleted it. */
  by: string;
  name: string;
  sig: string;
}

/** Someone who took part in a session: the patient, guests, and staff who started it, wrote or added someone. */
export interface Participant extends Member {
  /** When they joined or took part. */
  at: number;
  gone?: "left" | "removed";
  goneAt?: number;
}

/** A session's participant list as the room signed it; staff pages hand it back after a reset. */
export interface Roster {
  c: string;
  members: Participant[];
  sig: string;
}

/** A session's access code (hosts' pages only). */
export interface AccessCode {
  code: string;
  /** It stops working at this time (ms). */
  until: number;
  sig: string;
}

export type ErrorCode =
  | "bad_frame"
  | "bad_text"
  | "hello_required"
  | "version"
  | "forbidden"
  | "not_found"
  | "recipient_left"
  | "rate_limited"
  | "bad_seed"
  | "unavailable"
  /** A file offer or download the room refused: too big, past the sender's day, too many at once. */
  | "file_refused";

export interface ErrorMessage {
  type: "error";
  code: ErrorCode;
  message: string;
  cid?: string;
  c?: string;
}

export interface Welcome {
  type: "welcome";
  v: number;
  /** Changes when the room's memory was reset (a deploy, an eviction). */
  epoch: string;
  room: string;
  self: Member;
  /** Server clock, so clients can show waiting times without clock skew. */
  now: number;
  /** Proof of this page load, for resuming; kept in page memory only. */
  pass: string;
  /**
   * Staff, on a new page load: every message numbered up to here was shown
   * to this person's pages already. The page shows those without counting
   * them as new (a reload brings staff chats back, read).
   */
  seen?: number;
  /** Patients: whether any staff member is online. */
  staffOnline?: boolean;
  /** Patients: their conversation, and the session they are in. */
  c?: string;
  session?: SessionInfo;
}

export type ServerMessage =
  | Welcome
  // Staff pages only: the queue, colleagues, and who is looking at which chat.
  | { type: "queue"; patients: QueueEntry[] }
  | { type: "patient"; patient: QueueEntry }
  | { type: "patient_left"; c: string }
  | { type: "staff_list"; members: StaffEntry[] }
  | { type: "staff_member"; member: StaffEntry }
  | { type: "staff_gone"; id: string }
  | { type: "viewers"; c: string; staff: string[] }
  // Staff conversations, to their members.
  | ({ type: "conversation" } & ConversationMeta)
  | { type: "member_left"; c: string; id: string; name: string }
  | { type: "prefs"; c: string; muted: boolean; archived: boolean }
  | ChatMessage
  /** Staff pages: one frame for a message to everyone waiting; it is in every patient's conversation. */
  | ({ type: "broadcast" } & Omit<ChatMessage, "type" | "c">)
  /** A message sent again with the same client id: it was applied once, as `seq`. */
  | { type: "ack"; c: string; cid: string; seq: number }
  /** Drop your copies: the room's whole copies follow. */
  | { type: "resync" }
  /** Everything up to `upto` is gone: for everyone, or (`mine`) for this person only, when a colleague still had it open. */
  | { type: "erased"; c: string; upto: number; mine?: true }
  | { type: "staff_online"; online: boolean }
  | { type: "session_started"; c: string; session: SessionInfo }
  /** Everything of the session is gone from the room when this is sent. */
  | { type: "session_ended"; c: string; id: string; endedAt: number }
  | { type: "downloaded"; c: string }
  /** A message was deleted: pages drop its text and keep the tombstone in its place. */
  | ({ type: "deleted"; c: string } & Tombstone)
  /** Someone else in `c` is typing. */
  | { type: "typing"; c: string; id: string; name: string }
  /** A session's participant list, and who of them has a page open now. */
  | ({ type: "participants"; online: string[] } & Roster)
  /** Hosts' pages: a session's access code now (null: none). */
  | { type: "access_code"; c: string; code: AccessCode | null }
  | { type: "pong" }
  /** Heartbeat: answer with a pong. */
  | { type: "ping" }
  | FileServerMessage
  | ErrorMessage;

export type ServerMessageOf<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;
