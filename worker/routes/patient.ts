import { Hono } from "hono";
import * as v from "valibot";
import { DisplayName } from "../../protocol/names";
import { signPatient } from "../tokens";
import { GUEST_COOKIE, PATIENT_COOKIE, clearSessionCookie, guestFromCookie, patientCookiePath, patientFromCookie, roomStub, setSessionCookie } from "./auth";
import { clientAddress, refusedCheckIn } from "./check-in";
import { jsonBody, roomParam } from "./validate";

const CheckIn = v.object({ name: DisplayName });

/** Patient check-in and the patient's own session. */
export const patientRoutes = new Hono<{ Bindings: Env }>()
  .post("/check-in", roomParam, jsonBody(CheckIn), async (c) => {
    const { room } = c.req.valid("param");
    const { name } = c.req.valid("json");
    const admitted = await roomStub(c.env, room).checkIn(room, name, clientAddress(c.req.raw));
    if (!admitted.ok) return refusedCheckIn(c, admitted.reason);
    const { id, checkedInAt } = admitted;
    clearSessionCookie(c, GUEST_COOKIE, patientCookiePath(room));
    setSessionCookie(c, PATIENT_COOKIE, await signPatient(c.env.SESSION_SECRET, { room, name, ...admitted }), patientCookiePath(room));
    return c.json({ id, c: admitted.c, name, checkedInAt });
  })
  /** Who this browser is in the room: a checked-in patient or a guest of a session. */
  .get("/me", roomParam, async (c) => {
    const { room } = c.req.valid("param");
    const me = await patientFromCookie(c, room);
    if (me) return c.json({ id: me.sub, c: me.c, name: me.name, checkedInAt: me.cin });
    const guest = await guestFromCookie(c, room);
    if (guest) return c.json({ id: guest.sub, c: guest.c, name: guest.name, checkedInAt: guest.jin, role: "guest" });
    return c.json({ error: "Not checked in." }, 401);
  })
  .delete("/me", roomParam, (c) => {
    const { room } = c.req.valid("param");
    clearSessionCookie(c, PATIENT_COOKIE, patientCookiePath(room));
    clearSessionCookie(c, GUEST_COOKIE, patientCookiePath(room));
    return c.body(null, 204);
  });
