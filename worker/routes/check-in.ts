import type { Context } from "hono";
import type { AdmitResult } from "../room/room";

/** The client's address as Cloudflare saw it; one shared key when running locally. */
export function clientAddress(request: Request): string {
  return request.headers.get("CF-Connecting-IP") ?? "local";
}

/** A check-in the room refused, in plain words. */
export function refusedCheckIn(c: Context, reason: Extract<AdmitResult, { ok: false }>["reason"]): Response {
  switch (reason) {
    case "too_many":
      c.header("Retry-After", "60");
      return c.json({ error: "Too many check-ins from this network. Please wait a minute and try again." }, 429);
    case "taken":
      return c.json({ error: "This session link has already been used. Please ask your clinic for a new one." }, 409);
    case "ended":
    case "gone":
      return c.json({ error: "This session has ended." }, 410);
    case "full":
      return c.json({ error: "The waiting room is full. Please try again in a few minutes." }, 503);
    case "removed":
      return c.json({ error: "You were removed from this session." }, 410);
  }
}
