/**
 * Signed credentials (HS256 JWTs via Hono's helpers). Used by the worker and
 * by `scripts/provider-link.ts`, so this module imports packages only.
 *
 * - `link`: a staff member's private dashboard link (in the URL fragment).
 *   The page trades it for a `staff` session cookie, once per sign-in.
 * - `staff`: that sign-in. Short-lived: the page refreshes it while signed
 *   in, never past the link's own expiry, and signing out ends it.
 * - `patient`: a checked-in patient (or one who joined a scheduled session).
 * - `invite`: a scheduled text-only session's link, for one patient.
 * - `guest`: someone who joined a session by access code (family member,
 *   interpreter). It names that session's conversation and nothing else.
 */
import { sign, verify } from "hono/jwt";
import * as v from "valibot";

/** Room ids: lowercase letters, digits and hyphens; they appear in URLs. */
export const RoomId = v.pipe(v.string(), v.regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/));

const Name = v.pipe(v.string(), v.minLength(1), v.maxLength(60));
const Id = v.pipe(v.string(), v.minLength(16), v.maxLength(64));
const StaffRole = v.picklist(["host", "staff"]);

const LinkClaims = v.object({ kind: v.literal("link"), role: StaffRole, room: RoomId, sub: Id, name: Name, iat: v.number(), exp: v.number() });
const StaffClaims = v.object({
  kind: v.literal("staff"),
  role: StaffRole,
  room: RoomId,
  sub: Id,
  name: Name,
  /** This sign-in; signing out ends it on the server. */
  sid: Id,
  exp: v.number(),
  /** The link's expiry: a refreshed session never outlives it. */
  lexp: v.number(),
});
const PatientClaims = v.object({
  kind: v.literal("patient"),
  room: RoomId,
  sub: Id,
  /** Their conversation. */
  c: Id,
  name: Name,
  /** Check-in time in ms (the room's clock); the queue is ordered by it, also after a reset. */
  cin: v.number(),
  /** Joined through a scheduled link: the session, so a reset keeps it. */
  sid: v.optional(Id),
  exp: v.number(),
});
/**
 * A scheduled text-only session: everything the room needs is in the signed
 * link, so no server state exists before someone opens it. No `exp`: the
 * window is checked by us, so an early or late link gets a clear answer.
 * Nothing about the patient is in it: the link stays in browser history.
 */
const InviteClaims = v.object({ kind: v.literal("invite"), room: RoomId, sid: Id, start: v.number(), end: v.number() });
const GuestClaims = v.object({
  kind: v.literal("guest"),
  room: RoomId,
  sub: Id,
  /** The session's conversation: the one place this cookie opens. */
  c: Id,
  name: Name,
  /** When they joined (ms, the room's clock). */
  jin: v.number(),
  exp: v.number(),
});
const Claims = v.variant("kind", [LinkClaims, StaffClaims, PatientClaims, InviteClaims, GuestClaims]);

export type LinkClaims = v.InferOutput<typeof LinkClaims>;
export type StaffClaims = v.InferOutput<typeof StaffClaims>;
export type PatientClaims = v.InferOutput<typeof PatientClaims>;
export type InviteClaims = v.InferOutput<typeof InviteClaims>;
export type GuestClaims = v.InferOutput<typeof GuestClaims>;
export type Claims = v.InferOutput<typeof Claims>;
export type StaffRole = v.InferOutput<typeof StaffRole>;

export const PROVIDER_LINK_TTL = 30 * 24 * 3600;
/** A staff sign-in lasts this long unless the page refreshes it; pages refresh well before. */
export const STAFF_SESSION_TTL = 10 * 60;
export const PATIENT_SESSION_TTL = 12 * 3600;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * A staff member's stable id in a room: the same for every link made for
 * that name, so colleagues' chats with them survive a new link.
 */
export async function staffId(room: string, name: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`staff\n${room}\n${name.trim().toLowerCase()}`));
  return base64url(new Uint8Array(digest).slice(0, 16));
}

export interface StaffLinkOptions {
  room: string;
  name: string;
  role?: StaffRole;
  /** Defaults to `staffId(room, name)`. */
  id?: string;
}

export async function signStaffLink(secret: string, opts: StaffLinkOptions, ttlSeconds: number): Promise<string> {
  const iat = nowSeconds();
  const claims: LinkClaims = {
    kind: "link",
    role: opts.role ?? "host",
    room: opts.room,
    sub: opts.id ?? (await staffId(opts.room, opts.name)),
    name: opts.name,
    iat,
    exp: iat + ttlSeconds,
  };
  return sign(claims, secret, "HS256");
}

/** A sign-in session for a link: short-lived, ending with the link at the latest. */
export function signStaffSession(secret: string, link: Pick<LinkClaims, "role" | "room" | "sub" | "name" | "exp">, sid: string): Promise<string> {
  const claims: StaffClaims = {
    kind: "staff",
    role: link.role,
    room: link.room,
    sub: link.sub,
    name: link.name,
    sid,
    exp: Math.min(nowSeconds() + STAFF_SESSION_TTL, link.exp),
    lexp: link.exp,
  };
  return sign(claims, secret, "HS256");
}

export interface PatientTokenOptions {
  room: string;
  id: string;
  c: string;
  name: string;
  checkedInAt: number;
  /** A scheduled session, and the time (ms) its window ends: the cookie ends with it. */
  session?: { id: string; end: number };
}

export function signPatient(secret: string, p: PatientTokenOptions): Promise<string> {
  const ttl = nowSeconds() + PATIENT_SESSION_TTL;
  const claims: PatientClaims = {
    kind: "patient",
    room: p.room,
    sub: p.id,
    c: p.c,
    name: p.name,
    cin: p.checkedInAt,
    exp: p.session ? Math.min(ttl, Math.ceil(p.session.end / 1000)) : ttl,
    ...(p.session ? { sid: p.session.id } : {}),
  };
  return sign(claims, secret, "HS256");
}

export function signInvite(secret: string, room: string, sid: string, start: number, end: number): Promise<string> {
  const claims: InviteClaims = { kind: "invite", room, sid, start, end };
  return sign(claims, secret, "HS256");
}

export interface GuestTokenOptions {
  room: string;
  id: string;
  c: string;
  name: string;
  joinedAt: number;
}

/** A guest's cookie: as long as a patient's, and it opens one session only while the room lists them in it. */
export function signGuest(secret: string, g: GuestTokenOptions): Promise<string> {
  const claims: GuestClaims = { kind: "guest", room: g.room, sub: g.id, c: g.c, name: g.name, jin: g.joinedAt, exp: nowSeconds() + PATIENT_SESSION_TTL };
  return sign(claims, secret, "HS256");
}

/** The claims of a valid, unexpired token, or null for anything else. */
export async function verifyToken(secret: string, token: string | undefined): Promise<Claims | null> {
  if (!token || token.length > 2048) return null;
  try {
    const payload = await verify(token, secret, "HS256");
    const parsed = v.safeParse(Claims, payload);
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
