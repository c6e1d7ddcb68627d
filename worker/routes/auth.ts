import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import { verifyToken, type GuestClaims, type PatientClaims, type StaffClaims } from "../tokens";

export const STAFF_COOKIE = "qc_staff";
export const PATIENT_COOKIE = "qc_patient";
/** A guest's cookie, on the same path as a patient's: a browser is one or the other in a room. */
export const GUEST_COOKIE = "qc_guest";

type Ctx = Context<{ Bindings: Env }>;

/**
 * Session cookies: HttpOnly so page scripts never see them, SameSite=Strict,
 * no Max-Age so they end with the browser session.
 */
function cookieOptions(c: Ctx, path: string): CookieOptions {
  return { path, httpOnly: true, sameSite: "Strict", secure: new URL(c.req.url).protocol === "https:" };
}

export const staffCookiePath = "/api";
export const patientCookiePath = (room: string) => `/api/rooms/${room}`;

export function setSessionCookie(c: Ctx, name: string, token: string, path: string): void {
  setCookie(c, name, token, cookieOptions(c, path));
}

export function clearSessionCookie(c: Ctx, name: string, path: string): void {
  deleteCookie(c, name, cookieOptions(c, path));
}

/** The room's Durable Object. */
export const roomStub = (env: Env, room: string) => env.ROOMS.get(env.ROOMS.idFromName(room));

/** The staff sign-in in the cookie, if valid, unexpired and not signed out. */
export async function staffFromCookie(c: Ctx): Promise<StaffClaims | null> {
  const claims = await verifyToken(c.env.SESSION_SECRET, getCookie(c, STAFF_COOKIE));
  if (claims?.kind !== "staff") return null;
  return (await roomStub(c.env, claims.room).isSignedOut(claims.room, claims.sid)) ? null : claims;
}

export async function patientFromCookie(c: Ctx, room: string): Promise<PatientClaims | null> {
  const claims = await verifyToken(c.env.SESSION_SECRET, getCookie(c, PATIENT_COOKIE));
  return claims?.kind === "patient" && claims.room === room ? claims : null;
}

/** The bearer token of an `Authorization` header. */
export const bearer = (c: Ctx) => c.req.header("Authorization")?.match(/^Bearer (.+)$/)?.[1];

export async function guestFromCookie(c: Ctx, room: string): Promise<GuestClaims | null> {
  const claims = await verifyToken(c.env.SESSION_SECRET, getCookie(c, GUEST_COOKIE));
  return claims?.kind === "guest" && claims.room === room ? claims : null;
}
