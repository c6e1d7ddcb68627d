import { CLOSE, isStaff, SESSION_LIMITS, type Member, type Roster as SignedRoster, type ServerMessage } from "../../../protocol/wire";
import { randomId } from "../../ids";
import type { Command, RoomContext } from "../context";
import type { Conversation } from "../conversation";
import type { Person } from "../people";
import { can, refusal } from "../permissions";
import { Roster } from "../roster";
import type { Socket } from "../socket";
import { conversationFor } from "./chat";
import { removePatient } from "./patients";

/**
 * Group sessions: who takes part in a text-only session (the patient,
 * guests who joined by code, and the staff who took part), guests coming
 * in, hosts removing people, and anyone but a host leaving. Everyone in the
 * session sees the participant list, with who is connected.
 */

const member = (p: Person): Member => ({ id: p.id, name: p.name, role: p.role });

export function signedRoster(ctx: RoomContext, conv: Conversation): SignedRoster {
  const members = conv.roster!.list();
  return { c: conv.id, members, sig: ctx.sigs.roster(conv.id, members) };
}

/** The participant list as a frame, with who of them has a page open now. */
export function participantsFrame(ctx: RoomContext, conv: Conversation): string {
  const roster = signedRoster(ctx, conv);
  const online = roster.members.flatMap((m) => (!m.gone && (ctx.people.get(m.id)?.pages.size ?? 0) > 0 ? [m.id] : []));
  return JSON.stringify({ type: "participants", ...roster, online } satisfies ServerMessage);
}

/** Tells everyone in the session the participant list as it is now. */
export function publishRoster(ctx: RoomContext, conv: Conversation, except?: Socket): void {
  if (conv.roster) ctx.fanout.toConversation(conv, participantsFrame(ctx, conv), except);
}

/**
 * A session begins: its list starts with the patient, the staff who wrote
 * to them, and the host who started it. `restored` is false for a session
 * the room learns of again from the patient's own cookie after a reset: the
 * guests are on the list a staff page hands back.
 */
export function startRoster(ctx: RoomContext, conv: Conversation, opts: { restored: boolean; starter?: Person }): void {
  const roster = new Roster(opts.restored);
  const entry = conv.patient!;
  roster.join({ id: entry.id, name: entry.name, role: "patient" }, entry.checkedInAt);
  for (const m of conv.select(0, 0, false)) if (isStaff(m.role) && !m.all) roster.join({ id: m.by, name: m.name, role: m.role }, m.time);
  if (opts.starter) roster.join(member(opts.starter), ctx.now());
  conv.roster = roster;
  publishRoster(ctx, conv);
}

/** A staff member wrote in a session, or acted in it: they are on its list from now on. */
export function tookPart(ctx: RoomContext, conv: Conversation, person: Person): void {
  if (conv.kind === "session" && person.staff && conv.roster?.join(member(person), ctx.now())) publishRoster(ctx, conv);
}

/** Someone's first page opened or their last one closed: the sessions that list them say so. */
export function presenceChanged(ctx: RoomContext, person: Person, own?: Conversation, except?: Socket): void {
  const convs = person.staff ? ctx.conversations.patientConversations() : own ? [own] : [];
  for (const conv of convs) if (conv.roster?.present(person.id)) publishRoster(ctx, conv, except);
}

/** Closes every page of someone who is out of the session (left, removed, or it ended) and forgets them. */
function dismiss(ctx: RoomContext, id: string, code: number, reason: string): void {
  const person = ctx.people.remove(id);
  for (const page of [...(person?.pages ?? [])]) page.drop(code, reason);
}

/**
 * The session is over for its guests (it ended, or its patient left or was
 * removed): they are told, their pages close, and its access code dies.
 */
export function closeSession(ctx: RoomContext, conv: Conversation, told: boolean): void {
  ctx.codes.forget(conv);
  const guests = conv.roster?.guests() ?? [];
  if (guests.length === 0) return;
  const ended = JSON.stringify({ type: "session_ended", c: conv.id, id: conv.patient?.session?.id ?? "", endedAt: ctx.now() } satisfies ServerMessage);
  for (const id of guests) {
    if (!told) ctx.fanout.toPerson(id, ended);
    dismiss(ctx, id, CLOSE.ended, "ended");
  }
}

/** Marks someone gone from a session's list and tells everyone there; false if they were not on it. */
export function markGone(ctx: RoomContext, conv: Conversation, id: string, gone: "left" | "removed"): boolean {
  if (!conv.roster?.leave(id, gone, ctx.now())) return false;
  publishRoster(ctx, conv);
  return true;
}

/**
 * For this long after a reset, a guest whose session the room does not
 * know yet is asked to try again: the staff pages are still handing it
 * back. After that, the session is over.
 */
export const RESTORE_WINDOW_MS = 120_000;

/** Tells a page why it may not come in, and closes it with `code`. */
export function refuse(socket: Socket, message: string, code: number, reason: string): undefined {
  socket.error("forbidden", message);
  socket.drop(code, reason);
  return undefined;
}

/**
 * A guest's session, while they are in it. Their cookie names it; a guest
 * who left or was removed is refused for good. After a reset the room
 * learns who is in a session from the staff pages, so until one hands
 * back its list the guest is asked to try again (4008).
 */
export function guestSession(ctx: RoomContext, socket: Socket): Conversation | undefined {
  const { identity } = socket;
  const c = identity.c!;
  const conv = ctx.conversations.get(c);
  const entry = conv?.roster?.get(identity.id);
  if (entry?.gone === "removed") return refuse(socket, "You were removed from this session.", CLOSE.removed, "removed");
  if (entry?.gone === "left") return refuse(socket, "You left this session.", CLOSE.left, "left");
  if (entry && conv!.kind === "session") return conv;
  if (ctx.conversations.sessionOver(c) || ctx.now() - ctx.startedAt > RESTORE_WINDOW_MS) return refuse(socket, "This session has ended.", CLOSE.ended, "ended");
  if (conv?.roster?.restored) return refuse(socket, "You are no longer in this session.", CLOSE.left, "left");
  // No error frame: the page shows it is reconnecting, and says nothing new on each try.
  socket.drop(CLOSE.restoring, "restoring");
  return undefined;
}

export type GuestAdmission = { ok: true; id: string; c: string; joinedAt: number } | { ok: false; reason: "invalid" | "too_many" | "full" };

/**
 * A guest typed `code`, and the directory found it is this room's session
 * `c`. The room holds each code's truth: a withdrawn, replaced or expired
 * code, or one of a session that ended, is refused here whatever the
 * directory still had. The guest sees the session from now on only.
 */
export function admitGuest(ctx: RoomContext, c: string, code: string, name: string): GuestAdmission {
  const conv = ctx.conversations.get(c);
  const roster = conv?.roster;
  if (!conv || !roster?.restored || conv.kind !== "session" || ctx.codes.live(conv)?.code !== code) return { ok: false, reason: "invalid" };
  if (roster.guests().length >= SESSION_LIMITS.guests || roster.size >= SESSION_LIMITS.participants) return { ok: false, reason: "full" };
  if (!ctx.codes.takeJoin()) return { ok: false, reason: "too_many" };
  const id = randomId();
  const at = ctx.now();
  roster.join({ id, name, role: "guest" }, at);
  conv.eraseFor(id, ctx.seq.seq);
  const person = ctx.people.ensure({ role: "guest", id, name, c }, at);
  person.joinFloor = ctx.seq.seq;
  ctx.people.startGrace(person, at, ctx.graceMs);
  publishRoster(ctx, conv);
  ctx.audit("joined", { id, role: "guest" });
  return { ok: true, id, c, joinedAt: at };
}

/**
 * After a reset, a staff page hands back a session's list: merged with
 * what the room has (a removal stands whoever missed it), and from now on
 * the guests it lists may come back. Anyone it says is gone is shown out.
 */
export function restoreRoster(ctx: RoomContext, conv: Conversation, handed: SignedRoster): boolean {
  if (conv.kind !== "session" || handed.c !== conv.id || !ctx.sigs.verifyRoster(handed)) return false;
  conv.roster ??= new Roster(false);
  const wasRestored = conv.roster.restored;
  conv.roster.restored = true;
  if (!conv.roster.merge(handed.members) && wasRestored) return true;
  for (const m of conv.roster.list()) {
    if (m.role === "guest" && m.gone && ctx.people.get(m.id)) dismiss(ctx, m.id, m.gone === "removed" ? CLOSE.removed : CLOSE.left, m.gone);
  }
  publishRoster(ctx, conv);
  return true;
}

export const remove: Command<"remove"> = (ctx, socket, msg) => {
  const conv = conversationFor(ctx, socket, msg.c);
  if (!conv) return;
  const me = socket.person;
  if (!can(me.role, "remove_participant", conv.kind)) return socket.error("forbidden", refusal("remove_participant"), { c: conv.id });
  const target = conv.roster?.get(msg.id);
  if (!target || target.gone || isStaff(target.role)) return socket.error("not_found", "That person is not a patient or guest in this session.", { c: conv.id });
  conv.roster!.join(member(me), ctx.now());
  markGone(ctx, conv, target.id, "removed");
  ctx.audit("removed", { id: target.id, role: target.role });
  if (target.role === "guest") return dismiss(ctx, target.id, CLOSE.removed, "removed");
  removePatient(ctx, target.id, { code: CLOSE.removed, forGood: true, announce: true, why: "removed" });
};

export const leaveSession: Command<"leave_session"> = (ctx, socket, msg) => {
  const conv = conversationFor(ctx, socket, msg.c);
  if (!conv) return;
  const me = socket.person;
  if (!can(me.role, "leave_session", conv.kind)) return socket.error("forbidden", refusal("leave_session"), { c: conv.id });
  markGone(ctx, conv, me.id, "left");
  if (me.role === "patient") return removePatient(ctx, me.id, { code: CLOSE.left, forGood: true, announce: true });
  ctx.audit("left", { id: me.id, role: me.role });
  if (me.role === "guest") return dismiss(ctx, me.id, CLOSE.left, "left");
  // A colleague leaves: the session goes from their pages only; they come back by writing in it again.
  conv.eraseFor(me.id, ctx.seq.seq);
  ctx.fanout.toPerson(me.id, { type: "erased", c: conv.id, upto: conv.floorFor(me.id), mine: true });
};
