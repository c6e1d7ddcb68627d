import { CLOSE, type QueueEntry, type SessionInfo } from "../../../protocol/wire";
import { randomId } from "../../ids";
import type { Command, RoomContext } from "../context";
import type { Conversation } from "../conversation";
import type { AdmitRefusal } from "../queue";
import { can, refusal } from "../permissions";
import { conversationFor } from "./chat";
import { closeSession, markGone, startRoster } from "./participants";

export interface Admission {
  id: string;
  name: string;
  c: string;
  checkedInAt: number;
  session?: SessionInfo;
}

/**
 * Puts a patient in the queue with their conversation (a text-only session
 * from the start, for a scheduled link); they then have the grace period
 * to connect. Someone already in the queue is simply there.
 */
export function admit(ctx: RoomContext, who: Admission, fresh = false): { ok: true; conv: Conversation } | { ok: false; reason: AdmitRefusal } {
  const present = ctx.queue.get(who.id);
  if (present) return { ok: true, conv: ctx.conversations.get(present.c)! };
  const reason = ctx.queue.refusal(who);
  if (reason) return { ok: false, reason };
  // Built without a spread: a literal with one keeps room for a property more, in every entry.
  const entry: QueueEntry = { c: who.c, id: who.id, name: who.name, checkedInAt: who.checkedInAt, status: "waiting" };
  if (who.session) entry.session = who.session;
  ctx.queue.add(entry);
  const conv = ctx.conversations.create(who.c, who.session ? "session" : "waiting", who.checkedInAt);
  conv.patient = entry;
  // A scheduled session's list starts with its patient; one the room learns of again after a reset waits for a staff page's list.
  if (who.session) startRoster(ctx, conv, { restored: fresh });
  const person = ctx.people.ensure({ role: "patient", id: who.id, name: who.name }, ctx.now());
  if (person.pages.size === 0) ctx.people.startGrace(person, ctx.now(), ctx.graceMs);
  ctx.fanout.toStaff({ type: "patient", patient: entry });
  ctx.audit("joined", { id: who.id, role: "patient" });
  if (who.session) ctx.audit("admitted", { id: who.id, role: "patient" });
  return { ok: true, conv };
}

/** The queue entry changed (status, session): staff pages are told. */
export function updateEntry(ctx: RoomContext, entry: QueueEntry, change: Partial<QueueEntry>): void {
  Object.assign(entry, change);
  ctx.fanout.toStaff({ type: "patient", patient: entry });
}

/**
 * Takes a patient out of the room with their conversation. `forGood` (they
 * left, or their session ended) also refuses their cookie from now on; a
 * grace period that ran out does not, so they may still come back.
 */
export function removePatient(ctx: RoomContext, id: string, opts: { code: number; forGood: boolean; announce: boolean; why?: "gone" | "removed" }): void {
  const entry = ctx.queue.remove(id, opts.forGood, opts.why);
  if (!entry) return;
  const conv = ctx.conversations.get(entry.c);
  if (conv) {
    // A session is its patient's: without them it ends for its guests too.
    closeSession(ctx, conv, opts.code === CLOSE.ended);
    ctx.conversations.drop(conv);
  }
  const person = ctx.people.remove(id);
  for (const page of [...(person?.pages ?? [])]) page.drop(opts.code, opts.code === CLOSE.ended ? "ended" : "left");
  if (!opts.announce) return;
  ctx.fanout.toStaff({ type: "patient_left", c: entry.c });
  ctx.audit("left", { id, role: "patient" });
}

export const leave: Command<"leave"> = (ctx, socket) => {
  if (!can(socket.person.role, "leave_queue")) return socket.error("forbidden", refusal("leave_queue"));
  const conv = ctx.conversations.get(socket.identity.c ?? "");
  if (conv) markGone(ctx, conv, socket.person.id, "left");
  removePatient(ctx, socket.person.id, { code: CLOSE.left, forGood: true, announce: true });
};

export const startSession: Command<"start_session"> = (ctx, socket, msg) => {
  const conv = conversationFor(ctx, socket, msg.c);
  if (!conv) return;
  if (!can(socket.person.role, "start_session", conv.kind)) return socket.error("forbidden", refusal("start_session"), { c: conv.id });
  const entry = conv.patient!;
  if (entry.session) return socket.send({ type: "session_started", c: conv.id, session: entry.session });
  const session: SessionInfo = { id: randomId(), startedAt: ctx.now() };
  conv.kind = "session";
  updateEntry(ctx, entry, { session });
  ctx.fanout.toConversation(conv, { type: "session_started", c: conv.id, session });
  startRoster(ctx, conv, { restored: true, starter: socket.person });
  ctx.audit("admitted", { id: entry.id, role: "patient" });
};

export const endSession: Command<"end_session"> = (ctx, socket, msg) => {
  const conv = conversationFor(ctx, socket, msg.c);
  if (!conv) return;
  if (!can(socket.person.role, "end_session", conv.kind)) {
    if (conv.kind === "waiting" && socket.person.role === "host") return socket.error("bad_frame", "There is no session to end.", { c: conv.id });
    return socket.error("forbidden", refusal("end_session"), { c: conv.id });
  }
  endSessionOf(ctx, conv);
};

/** Ends a session for everyone at once and frees all of it. */
export function endSessionOf(ctx: RoomContext, conv: Conversation): void {
  const entry = conv.patient!;
  const id = entry.session?.id ?? "";
  ctx.fanout.toConversation(conv, { type: "session_ended", c: conv.id, id, endedAt: ctx.now() });
  ctx.queue.end(id, entry.id);
  removePatient(ctx, entry.id, { code: CLOSE.ended, forGood: true, announce: false });
  ctx.audit("ended", { id: entry.id, role: "patient" });
}
