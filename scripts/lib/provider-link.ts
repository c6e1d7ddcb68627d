/**
 * Builds a provider's private dashboard link: `<base>/provider#k=<token>`.
 * The token rides in the URL fragment, so it never reaches a server log.
 */
import * as v from "valibot";
import { NAME_MAX, nameCharactersProblem } from "../../protocol/name-rules.ts";
import { PROVIDER_LINK_TTL, RoomId, signStaffLink, type StaffRole } from "../../worker/tokens.ts";

export const DEFAULT_PORT = 8787;
export const DEFAULT_DAYS = PROVIDER_LINK_TTL / 86400;

export interface ProviderLinkOptions {
  secret: string;
  room: string;
  name: string;
  /** Link lifetime in days; defaults to PROVIDER_LINK_TTL. */
  days?: number;
  /** `host` (a provider with a host licence, the default) or `staff` (front desk, scheduler). */
  role?: StaffRole;
  /** Origin (and optional path prefix) the app is served from. */
  baseUrl: string;
}

/** Raised for input the user can fix; the message is meant to be shown as is. */
export class UsageError extends Error {
  name = "UsageError";
}

/** The port a local server uses: PORT, else 8787. Throws UsageError if PORT is not a port number. */
export function localPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PORT;
  if (raw === undefined || raw === "") return DEFAULT_PORT;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`PORT must be a port number (1-65535), got "${raw}".`);
  }
  return port;
}

/** PUBLIC_URL (for a deployed Worker) without trailing slashes, else http://localhost:PORT. */
export function baseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const pub = env.PUBLIC_URL;
  if (pub) {
    let url: URL;
    try {
      url = new URL(pub);
    } catch {
      throw new UsageError(`PUBLIC_URL must be an absolute http(s) URL, got "${pub}".`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new UsageError(`PUBLIC_URL must be an absolute http(s) URL, got "${pub}".`);
    }
    if (url.search || url.hash) throw new UsageError(`PUBLIC_URL must not have a query or fragment, got "${pub}".`);
    return url.href.replace(/\/+$/, "");
  }
  return `http://localhost:${localPort(env)}`;
}

export function validateRoom(room: string): string {
  if (!v.is(RoomId, room)) {
    throw new UsageError(
      `Invalid room "${room}": use 1-64 lowercase letters, digits and hyphens, not starting or ending with a hyphen (e.g. "demo", "dr-smith").`,
    );
  }
  return room;
}

/**
 * Trims the name and checks it: 1-60 characters, and the characters every
 * display name must have (protocol/names.ts): visible, no control, invisible
 * or text-direction characters, which could forge lines or reorder the page.
 */
export function validateName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > NAME_MAX) {
    throw new UsageError(`Invalid provider name: it must be 1-${NAME_MAX} characters (got ${trimmed.length}).`);
  }
  const problem = nameCharactersProblem(trimmed);
  if (problem) throw new UsageError(`Invalid provider name. ${problem}`);
  return trimmed;
}

export function validateRole(role: string): StaffRole {
  if (role !== "host" && role !== "staff") throw new UsageError(`--role must be host or staff, got "${role}".`);
  return role;
}

export function validateDays(days: number): number {
  if (!Number.isFinite(days) || days <= 0) {
    throw new UsageError(`--days must be a positive number of days, got "${days}".`);
  }
  return days;
}

/** Signs a provider token and returns the dashboard URL. */
export async function providerLink(opts: ProviderLinkOptions): Promise<string> {
  const room = validateRoom(opts.room);
  const name = validateName(opts.name);
  const ttl = opts.days === undefined ? PROVIDER_LINK_TTL : Math.max(1, Math.round(validateDays(opts.days) * 86400));
  const token = await signStaffLink(opts.secret, { room, name, role: opts.role ?? "host" }, ttl);
  return `${opts.baseUrl.replace(/\/+$/, "")}/provider#k=${token}`;
}
