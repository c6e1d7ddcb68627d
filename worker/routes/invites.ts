import { Hono } from "hono";
import * as v from "valibot";
import { randomId } from "../ids";
import { DisplayName } from "../../protocol/names";
import { signInvite, signPatient, verifyToken, type InviteClaims } from "../tokens";
import { PATIENT_COOKIE, patientCookiePath, providerFromCookie, setSessionCookie } from "./auth";
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

async function inviteFrom(c: { req: { header(name: string): string | undefined }; env: Env }): Promise<InviteClaims | null> {
  const bearer = c.req.header("Authorization")?.match(/^Bearer (.+)$/)?.[1];
  const claims = await verifyToken(c.env.SESSION_SECRET, bearer);
  return claims?.role === "invite" ? claims : null;
}

/** Scheduled text-only sessions: the provider makes signed links; patients open them. */
export const inviteRoutes = new Hono<{ Bindings: Env }>()
  .post(
    "/provider/invites",
    // Who is asking comes before what they asked.
    async (c, next) => ((await providerFromCookie(c)) ? next() : c.json({ error: "Not signed in." }, 401)),
    jsonBody(NewInvite),
    async (c) => {
      const provider = (await providerFromCookie(c))!;
      const { start, minutes } = c.req.valid("json");
      const end = start + minutes * MINUTE;
      if (end < Date.now()) return c.json({ error: "That time window is already over. Choose a later start." }, 400);
      const token = await signInvite(c.env.SESSION_SECRET, provider.room, randomId(), start, end);
      return c.json({ link: `${new URL(c.req.url).origin}/join#t=${token}`, start, end });
    },
  )
  .post("/invites/inspect", async (c) => {
    const invite = await inviteFrom(c);
    if (!invite) return c.json({ error: "This session link is not valid. Please ask your clinic for a new one." }, 401);
    const { room, start, end } = invite;
    return c.json({ room, start, end, state: windowOf(invite, Date.now()), now: Date.now() });
  })
  .post("/invites/join", jsonBody(v.object({ name: DisplayName })), async (c) => {
    const invite = await inviteFrom(c);
    if (!invite) return c.json({ error: "This session link is not valid. Please ask your clinic for a new one." }, 401);
    const state = windowOf(invite, Date.now());
    if (state === "early") return c.json({ error: "This session has not started yet." }, 403);
    if (state === "expired") return c.json({ error: "This session link has expired." }, 410);
    const { name } = c.req.valid("json");
    const id = randomId();
    const checkedInAt = Date.now();
    const stub = c.env.ROOMS.get(c.env.ROOMS.idFromName(invite.room));
    const session = { id: invite.sid, startedAt: checkedInAt, scheduled: true as const };
    const admitted = await stub.checkIn(invite.room, { role: "patient", id, name, checkedInAt, session }, clientAddress(c.req.raw));
    if (!admitted.ok) return refusedCheckIn(c, admitted.reason);
    const token = await signPatient(c.env.SESSION_SECRET, invite.room, id, name, checkedInAt, invite.sid);
    setSessionCookie(c, PATIENT_COOKIE, token, patientCookiePath(invite.room));
    return c.json({ room: invite.room, id, name });
  });
