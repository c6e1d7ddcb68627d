/**
 * Signed credentials (HS256 JWTs via Hono's helpers). Used by the worker and
 * by `scripts/provider-link.ts`, so this module imports packages only.
 */
import { sign, verify } from "hono/jwt";
import * as v from "valibot";

/** Room ids: lowercase letters, digits and hyphens; they appear in URLs. */
export const RoomId = v.pipe(v.string(), v.regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/));

const Base = { room: RoomId, name: v.pipe(v.string(), v.minLength(1), v.maxLength(60)), exp: v.number() };

const ProviderClaims = v.object({ role: v.literal("provider"), ...Base, iat: v.number() });
const PatientClaims = v.object({
  role: v.literal("patient"),
  ...Base,
  sub: v.pipe(v.string(), v.minLength(16), v.maxLength(64)),
  /** Check-in time in ms; the queue is ordered by it, also after a reset. */
  cin: v.number(),
  /** Joined through a scheduled link: the session, so a reset keeps it. */
  sid: v.optional(v.pipe(v.string(), v.minLength(16), v.maxLength(64))),
});
/**
 * A scheduled text-only session: everything the room needs is in the signed
 * link, so no server state exists before someone opens it. No `exp`: the
 * window is checked by us, so an early or late link gets a clear answer.
 * Nothing about the patient: a link is readable (base64) and stays in the
 * patient's browser history.
 */
const InviteClaims = v.object({
  role: v.literal("invite"),
  room: RoomId,
  sid: v.pipe(v.string(), v.minLength(16), v.maxLength(64)),
  start: v.number(),
  end: v.number(),
});
const Claims = v.variant("role", [ProviderClaims, PatientClaims, InviteClaims]);

export type ProviderClaims = v.InferOutput<typeof ProviderClaims>;
export type PatientClaims = v.InferOutput<typeof PatientClaims>;
export type InviteClaims = v.InferOutput<typeof InviteClaims>;
export type Claims = v.InferOutput<typeof Claims>;

export const PROVIDER_LINK_TTL = 30 * 24 * 3600;
export const SESSION_TTL = 12 * 3600;

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function signProvider(secret: string, room: string, name: string, ttlSeconds: number): Promise<string> {
  const iat = nowSeconds();
  const claims: ProviderClaims = { role: "provider", room, name, iat, exp: iat + ttlSeconds };
  return sign(claims, secret, "HS256");
}

export function signPatient(secret: string, room: string, id: string, name: string, checkedInAt: number, sessionId?: string): Promise<string> {
  const claims: PatientClaims = {
    role: "patient",
    room,
    sub: id,
    name,
    cin: checkedInAt,
    exp: nowSeconds() + SESSION_TTL,
    ...(sessionId ? { sid: sessionId } : {}),
  };
  return sign(claims, secret, "HS256");
}

export function signInvite(secret: string, room: string, sid: string, start: number, end: number): Promise<string> {
  const claims: InviteClaims = { role: "invite", room, sid, start, end };
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
