import { Hono } from "hono";
import * as v from "valibot";
import { DisplayName } from "../../protocol/names";
import { randomId } from "../ids";
import { signInvite, signPatient, verifyToken, type InviteClaims } from "../tokens";
import { PATIENT_COOKIE, bearer, patientCookiePath, roomStub, setSessionCookie, staffFromCookie } from "./auth";
import { clientAddress, refusedCheckIn } from "./check-in";
import { jsonBody } from "./validate";

const MINUTE = 60_000;
/** A scheduled link can be opened this long before its start, to wait for it. */
const EARLY_JOIN = 5 * MINUTE;

/** A time window only: the patient's label stays on the provider's dashboard, out of the link. */
const NewInvite = v.object({
  start: v.pipe(v.number("Choose a start time."), v.integer(), v.minValue(0)),
  minutes: v.pipe(v.number("Choose a duration."), v.integer(), v.minValue(5, "Sessions last at least 5 minutes."), v.maxValue(480, "Sessions last at most 8 hours.")),
});

type Window = "early" | "open" | "expired";
const windowOf = (invite: InviteClaims, now: number): Window =>
  now < invite.start - EARLY_JOIN ? "early" : now > invite.end ? "expired" : "open";

async function inviteFrom(c: Parameters<typeof bearer>[0]): Promise<InviteClaims | null> {
  const claims = await verifyToken(c.env.SESSION_SECRET, bearer(c));
  return claims?.kind === "invite" ? claims : null;
}

const INVALID = "This session link is not valid. Please ask your clinic for a new one.";

/**
 * Scheduled text-only sessions: a host makes a signed link for one patient;
 * the first person to join with it is that patient, and the link admits
 * nobody else.
 */
export const inviteRoutes = new Hono<{ Bindings: Env }>()
  .post(
    "/provider/invites",
    // Who is asking comes before what they asked.
    async (c, next) => {
      const staff = await staffFromCookie(c);
      if (!staff) return c.json({ error: "Not signed in." }, 401);
      if (staff.role !== "host") return c.json({ error: "Only a provider with a host licence can schedule sessions." }, 403);
      return next();
    },
    jsonBody(NewInvite),
    async (c) => {
      const host = (await staffFromCookie(c))!;
      const { start, minutes } = c.req.valid("json");
      const end = start + minutes * MINUTE;
      if (end < Date.now()) return c.json({ error: "That time window is already over. Choose a later start." }, 400);
      const token = await signInvite(c.env.SESSION_SECRET, host.room, randomId(), start, end);
      return c.json({ link: `${new URL(c.req.url).origin}/join#t=${token}`, start, end });
    },
  )
  .post("/invites/inspect", async (c) => {
    const invite = await inviteFrom(c);
    if (!invite) return c.json({ error: INVALID }, 401);
    const { room, start, end } = invite;
    return c.json({ room, start, end, state: windowOf(invite, Date.now()), now: Date.now() });
  })
  .post("/invites/join", jsonBody(v.object({ name: DisplayName })), async (c) => {
    const invite = await inviteFrom(c);
    if (!invite) return c.json({ error: INVALID }, 401);
    const state = windowOf(invite, Date.now());
    if (state === "early") return c.json({ error: "This session has not started yet." }, 403);
    if (state === "expired") return c.json({ error: "This session link has expired." }, 410);
    const { name } = c.req.valid("json");
    const { room, sid, end } = invite;
    const admitted = await roomStub(c.env, room).checkIn(room, name, clientAddress(c.req.raw), { id: sid });
    if (!admitted.ok) return refusedCheckIn(c, admitted.reason);
    const token = await signPatient(c.env.SESSION_SECRET, { room, name, ...admitted, session: { id: sid, end } });
    setSessionCookie(c, PATIENT_COOKIE, token, patientCookiePath(room));
    return c.json({ room, id: admitted.id, name });
  });
