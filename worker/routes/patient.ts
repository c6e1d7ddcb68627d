import { Hono } from "hono";
import * as v from "valibot";
import { DisplayName } from "../../protocol/names";
import { randomId } from "../ids";
import { signPatient } from "../tokens";
import { PATIENT_COOKIE, clearSessionCookie, patientCookiePath, patientFromCookie, setSessionCookie } from "./auth";
import { clientAddress, refusedCheckIn } from "./check-in";
import { jsonBody, roomParam } from "./validate";

const CheckIn = v.object({ name: DisplayName });

/** Patient check-in and the patient's own session. */
export const patientRoutes = new Hono<{ Bindings: Env }>()
  .post("/check-in", roomParam, jsonBody(CheckIn), async (c) => {
    const { room } = c.req.valid("param");
    const { name } = c.req.valid("json");
    const id = randomId();
    const checkedInAt = Date.now();
    const stub = c.env.ROOMS.get(c.env.ROOMS.idFromName(room));
    const admitted = await stub.checkIn(room, { role: "patient", id, name, checkedInAt }, clientAddress(c.req.raw));
    if (!admitted.ok) return refusedCheckIn(c, admitted.reason);
    const token = await signPatient(c.env.SESSION_SECRET, room, id, name, checkedInAt);
    setSessionCookie(c, PATIENT_COOKIE, token, patientCookiePath(room));
    return c.json({ id, name, checkedInAt });
  })
  .get("/me", roomParam, async (c) => {
    const { room } = c.req.valid("param");
    const me = await patientFromCookie(c, room);
    if (!me) return c.json({ error: "Not checked in." }, 401);
    return c.json({ id: me.sub, name: me.name, checkedInAt: me.cin });
  })
  .delete("/me", roomParam, (c) => {
    const { room } = c.req.valid("param");
    clearSessionCookie(c, PATIENT_COOKIE, patientCookiePath(room));
    return c.body(null, 204);
  });
