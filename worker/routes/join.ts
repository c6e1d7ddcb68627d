import { Hono } from "hono";
import * as v from "valibot";
import { DisplayName } from "../../protocol/names";
import { directoryStub } from "../directory-do";
import { signGuest } from "../tokens";
import { GUEST_COOKIE, PATIENT_COOKIE, clearSessionCookie, patientCookiePath, setSessionCookie } from "./auth";
import { clientAddress } from "./check-in";
import { jsonBody } from "./validate";

/** Whatever was wrong with the code (mistyped, withdrawn, replaced, expired, its session over): one answer that tells none of them apart. */
export const INVALID_CODE = "This access code is not valid. Check it with your clinic.";
export const TOO_MANY_TRIES = "Too many tries. Try again in a minute.";

const Join = v.object({ code: v.pipe(v.string(), v.maxLength(40)), name: DisplayName });

/**
 * The join page (`/join`, one page for every room): a guest types the
 * session's access code, or opens the invite link that carries it, and
 * their name. The code is looked up in the directory; the room admits
 * them; they get a guest cookie for that room and land on its page.
 */
export const joinRoutes = new Hono<{ Bindings: Env }>().post("/join", jsonBody(Join), async (c) => {
  const { code, name } = c.req.valid("json");
  const result = await directoryStub(c.env).redeem(code, name, clientAddress(c.req.raw));
  if (!result.ok) {
    switch (result.reason) {
      case "too_many":
        c.header("Retry-After", "60");
        return c.json({ error: TOO_MANY_TRIES }, 429);
      case "full":
        return c.json({ error: "This session cannot take more participants." }, 409);
      case "unavailable":
        return c.json({ error: "Something went wrong. Please try again." }, 503);
      case "invalid":
        return c.json({ error: INVALID_CODE }, 404);
    }
  }
  const { room, guest } = result;
  const token = await signGuest(c.env.SESSION_SECRET, { room, id: guest.id, c: guest.c, name: guest.name, joinedAt: guest.joinedAt });
  clearSessionCookie(c, PATIENT_COOKIE, patientCookiePath(room));
  setSessionCookie(c, GUEST_COOKIE, token, patientCookiePath(room));
  return c.json({ room });
});
