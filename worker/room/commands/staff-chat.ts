import type { ConversationMeta, Member, ServerMessage } from "../../../protocol/wire";
import { randomId } from "../../ids";
import type { Command, RoomContext } from "../context";
import type { Conversation } from "../conversation";
import type { Person } from "../people";
import { can, refusal } from "../permissions";

/**
 * Staff chat: one-to-one conversations between colleagues and groups a host
 * creates. They live in the room's memory while at least one member is
 * signed in; patients never receive a frame about them.
 */

const member = (p: Person): Member => ({ id: p.id, name: p.name, role: p.role });

/** Signs a new version of a staff conversation's description and sends it to `to` (its members by default). */
export function publish(ctx: RoomContext, conv: Conversation, next: Omit<ConversationMeta, "ver" | "sig">, to?: Iterable<string>): void {
  const before = conv.memberIds();
  const unsigned = { ...next, ver: ctx.seq.nextSeq() };
  conv.meta = { ...unsigned, sig: ctx.sigs.meta(unsigned) };
  ctx.conversations.membersChanged(conv, before);
  const frame = JSON.stringify({ type: "conversation", ...conv.meta } satisfies ServerMessage);
  for (const id of new Set([...before, ...(to ?? conv.memberIds())])) ctx.fanout.toPerson(id, frame);
}

export const direct: Command<"direct"> = (ctx, socket, msg) => {
  const me = socket.person;
  const other = ctx.people.get(msg.with);
  if (!can(me.role, "open_direct")) return socket.error("forbidden", refusal("open_direct"));
  if (!other?.staff || other.id === me.id) return socket.error("not_found", "That colleague is not signed in to this waiting room.");
  const c = ctx.sigs.directId(me.id, other.id);
  const conv = ctx.conversations.get(c);
  if (conv?.meta) {
    socket.send({ type: "conversation", ...conv.meta });
    return sendPrefs(ctx, me, c);
  }
  const created = ctx.conversations.create(c, "direct", ctx.now());
  publish(ctx, created, { c, kind: "direct", members: [member(me), member(other)].sort((a, b) => (a.id < b.id ? -1 : 1)) });
};

export const createGroup: Command<"create_group"> = (ctx, socket, msg) => {
  const owner = socket.person;
  if (!can(owner.role, "create_group")) return socket.error("forbidden", refusal("create_group"), { cid: msg.cid });
  const others = [...new Set(msg.members)].filter((id) => id !== owner.id).map((id) => ctx.people.get(id));
  if (others.length === 0 || others.some((p) => !p?.staff)) {
    return socket.error("not_found", "Choose colleagues who are signed in to this waiting room.", { cid: msg.cid });
  }
  const c = `g-${randomId()}`;
  const conv = ctx.conversations.create(c, "group", ctx.now());
  publish(ctx, conv, { c, kind: "group", title: msg.title.trim(), owner: owner.id, members: [owner, ...(others as Person[])].map(member) });
  ctx.audit("group_created", { id: owner.id, role: owner.role });
};

function groupFor(ctx: RoomContext, c: string): Conversation | undefined {
  const conv = ctx.conversations.get(c);
  return conv?.kind === "group" && conv.meta && !conv.meta.deleted ? conv : undefined;
}

export const leaveGroup: Command<"leave_group"> = (ctx, socket, msg) => {
  const me = socket.person;
  const conv = groupFor(ctx, msg.c);
  if (!conv || !conv.includes(me.id, true)) return socket.error("not_found", "You are not in this group.", { c: msg.c });
  if (!can(me.role, "leave_group", "group")) return socket.error("forbidden", refusal("leave_group"), { c: msg.c });
  if (conv.meta!.owner === me.id) return socket.error("forbidden", "As the group's owner, delete it instead.", { c: msg.c });
  const meta = conv.meta!;
  const gone = meta.members.find((m) => m.id === me.id)!;
  // The leaver's pages get the new description too: it no longer lists them, so they cannot hand themselves back in.
  publish(ctx, conv, { ...withoutSig(meta), members: meta.members.filter((m) => m.id !== me.id), left: [...(meta.left ?? []), gone] }, [...conv.memberIds(), me.id]);
  const event = JSON.stringify({ type: "member_left", c: conv.id, id: me.id, name: me.name } satisfies ServerMessage);
  for (const id of conv.memberIds()) ctx.fanout.toPerson(id, event);
  ctx.audit("group_left", { id: me.id, role: me.role });
};

export const deleteGroup: Command<"delete_group"> = (ctx, socket, msg) => {
  const me = socket.person;
  const conv = groupFor(ctx, msg.c);
  if (!conv || !conv.includes(me.id, true)) return socket.error("not_found", "You are not in this group.", { c: msg.c });
  if (!can(me.role, "delete_group", "group") || conv.meta!.owner !== me.id) return socket.error("forbidden", refusal("delete_group"), { c: msg.c });
  const members = conv.memberIds();
  publish(ctx, conv, { ...withoutSig(conv.meta!), deleted: true }, members);
  ctx.conversations.drop(conv);
  ctx.audit("group_deleted", { id: me.id, role: me.role });
};

function withoutSig(meta: ConversationMeta): Omit<ConversationMeta, "ver" | "sig"> {
  const { ver: _v, sig: _s, ...rest } = meta;
  return rest;
}

export const prefs: Command<"prefs"> = (ctx, socket, msg) => {
  const me = socket.person;
  const conv = ctx.conversations.get(msg.c);
  if (!conv || !conv.includes(me.id, me.staff) || !can(me.role, "prefs", conv.kind)) return socket.error("not_found", "You are not in this conversation.", { c: msg.c });
  const current = me.prefs?.get(conv.id) ?? { muted: false, archived: false };
  (me.prefs ??= new Map()).set(conv.id, { muted: msg.muted ?? current.muted, archived: msg.archived ?? current.archived });
  sendPrefs(ctx, me, conv.id);
};

export function sendPrefs(ctx: RoomContext, person: Person, c: string): void {
  const p = person.prefs?.get(c);
  if (p) ctx.fanout.toPerson(person.id, { type: "prefs", c, ...p });
}

/** A new message brings an archived staff conversation back to each member's list. */
export function unarchive(ctx: RoomContext, conv: Conversation): void {
  for (const id of conv.memberIds()) {
    const person = ctx.people.get(id);
    const p = person?.prefs?.get(conv.id);
    if (!person || !p?.archived) continue;
    p.archived = false;
    sendPrefs(ctx, person, conv.id);
  }
}

export const presence: Command<"presence"> = (ctx, socket, msg) => {
  const me = socket.person;
  if (!me.staff) return;
  socket.away = msg.away;
  const away = [...me.pages].every((p) => p.away);
  if (away === me.away) return;
  me.away = away;
  ctx.fanout.toStaff({ type: "staff_member", member: staffEntry(me) });
};

export function staffEntry(p: Person) {
  return { id: p.id, name: p.name, role: p.role as "host" | "staff", presence: p.away || p.pages.size === 0 ? ("away" as const) : ("online" as const) };
}
