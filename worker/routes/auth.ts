import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import { SESSION_TTL, verifyToken, type PatientClaims, type ProviderClaims } from "../tokens";

export const PROVIDER_COOKIE = "qc_provider";
export const PATIENT_COOKIE = "qc_patient";

type Ctx = Context<{ Bindings: Env }>;

/**
 * Session cookies: HttpOnly so page scripts never see them, SameSite=Strict,
 * no Max-Age so they end with the browser session.
 */
function cookieOptions(c: Ctx, path: string): CookieOptions {
  return { path, httpOnly: true, sameSite: "Strict", secure: new URL(c.req.url).protocol === "https:" };
}

export const providerCookiePath = "/api";
export const patientCookiePath = (room: string) => `/api/rooms/${room}`;

export function setSessionCookie(c: Ctx, name: string, token: string, path: string): void {
  setCookie(c, name, token, cookieOptions(c, path));
}

export function clearSessionCookie(c: Ctx, name: string, path: string): void {
  deleteCookie(c, name, cookieOptions(c, path));
}

export async function providerFromCookie(c: Ctx): Promise<ProviderClaims | null> {
  const claims = await verifyToken(c.env.SESSION_SECRET, getCookie(c, PROVIDER_COOKIE));
  return claims?.role === "provider" ? claims : null;
}

export async function patientFromCookie(c: Ctx, room: string): Promise<PatientClaims | null> {
  const claims = await verifyToken(c.env.SESSION_SECRET, getCookie(c, PATIENT_COOKIE));
  return claims?.role === "patient" && claims.room === room ? claims : null;
}

export { SESSION_TTL };
