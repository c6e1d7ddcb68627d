import { validator } from "hono/validator";
import * as v from "valibot";
import { RoomId } from "../tokens";

/** Hono validators backed by valibot schemas; failures answer 400 with a plain message. */
export const roomParam = validator("param", (value, c) => {
  const room = v.safeParse(RoomId, value.room);
  if (!room.success) return c.json({ error: "That waiting room link is not valid." }, 400);
  return { room: room.output };
});

/**
 * Only our own messages reach the client: valibot's defaults quote the value
 * received, and an answer must never echo what was sent.
 */
export function jsonBody<S extends v.GenericSchema>(schema: S) {
  return validator("json", (value, c) => {
    const parsed = v.safeParse(schema, value, { message: "That request was not valid." });
    if (!parsed.success) return c.json({ error: parsed.issues[0].message }, 400);
    return parsed.output as v.InferOutput<S>;
  });
}
