/**
 * The protocol's plain values: version, limits, close codes, heartbeat frames
 * and roles. Kept apart from the schemas in wire.ts (which re-exports them) so
 * that pages can import them without the schema library.
 */
/** Bumped on any incompatible change; checked in the first frame. Old pages reload. */
export const PROTOCOL_VERSION = 2;

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
  groupMembers: 50,
  /** Pages (tabs) one person may have open in a room at once. */
  pagesPerPerson: 5,
} as const;

/** WebSocket close codes the client acts on. */
export const CLOSE = {
  normal: 1000,
  /** Flooding, or no hello in time. */
  policy: 1008,
  tooBig: 1009,
  /** Handling a frame failed; the page reconnects. */
  failed: 1011,
  /** The patient left or was removed: do not reconnect. */
  left: 4001,
  /** Protocol version mismatch: reload the page. */
  version: 4002,
  /** The text-only session ended: do not reconnect. */
  ended: 4003,
  /** Nothing heard for too long (no heartbeat): reconnect. */
  silent: 4004,
  /** This person already has as many pages open as allowed. */
  tooManyPages: 4005,
  /** The staff member signed out (on this or another page). */
  signedOut: 4006,
  /** A host removed this person from the session: do not reconnect. */
  removed: 4007,
  /** After a server restart, the session is not restored yet (a staff page hands it back): try again soon. */
  restoring: 4008,
} as const;

/** Close codes after which a page does not reconnect by itself. */
export const FINAL_CLOSE: ReadonlySet<number> = new Set([CLOSE.policy, CLOSE.tooBig, CLOSE.left, CLOSE.version, CLOSE.ended, CLOSE.tooManyPages, CLOSE.signedOut, CLOSE.removed]);

/**
 * Heartbeats: the room pings every page this often and a page answers at
 * once (from its message handler, which background tabs do not throttle the
 * way they throttle timers). Either side counts a socket as dead when it has
 * heard nothing for `deadAfterMs`. A socket must say hello within `helloMs`.
 */
export const HEARTBEAT = { intervalMs: 10_000, deadAfterMs: 25_000, helloMs: 5_000 } as const;

/**
 * Typing notices: a page says so at most every `sendEveryMs` while its
 * person types, and the others show it until `showForMs` of silence. Never
 * stored, never handed back, never sent outside its conversation.
 */
export const TYPING = { sendEveryMs: 3_000, showForMs: 6_000 } as const;

/** Group sessions: guests a session may have at once, and people its participant list may name (left and removed included). */
export const SESSION_LIMITS = { guests: 20, participants: 100 } as const;

/** The exact frames of a heartbeat, so neither side parses them. */
export const PING_FRAME = '{"type":"ping"}';
export const PONG_FRAME = '{"type":"pong"}';

export type StaffRole = "host" | "staff";
export type Role = StaffRole | "patient" | "guest";
export const isStaff = (role: Role): role is StaffRole => role === "host" || role === "staff";

/** What a conversation is; the permission table has a column per kind. */
export type ConversationKind = "waiting" | "session" | "direct" | "group";
