import type { Context } from "hono";
import type { AdmitResult } from "../room";

/** The client's address as Cloudflare saw it; one shared key when running locally. */
export function clientAddress(request: Request): string {
  return request.headers.get("CF-Connecting-IP") ?? "local";
}

/** A check-in the room refused: full (503), or too many from one address (429). */
export function refusedCheckIn(c: Context, reason: Extract<AdmitResult, { ok: false }>["reason"]): Response {
  if (reason === "too_many") {
    c.header("Retry-After", "60");
    return c.json({ error: "Too many check-ins from this network. Please wait a minute and try again." }, 429);
  }
  return c.json({ error: "The waiting room is full. Please try again in a few minutes." }, 503);
}
