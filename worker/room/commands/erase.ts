import type { Command, RoomContext } from "../context";
import type { Conversation } from "../conversation";
import type { Person } from "../people";
import { can, refusal } from "../permissions";
import type { Socket } from "../socket";
import { conversationFor } from "./chat";

/**
 * The erase rules (Doxy.me's, for every staff page): closing the chat box,
 * viewing another patient's chat, starting another call and reloading the
 * dashboard erase the conversation, in the room and on every page. When a
 * colleague has the same chat open in their chat box, nobody loses what
 * they are reading: it is erased for the person who closed it only, and
 * for everyone once the last page that has it open closes it.
 */

/** The staff members whose pages have `c` in their chat box. */
export function viewersOf(ctx: RoomContext, c: string, except?: Socket): Set<string> {
  const ids = new Set<string>();
  for (const page of ctx.people.staffPages()) if (page !== except && page.view === c) ids.add(page.person.id);
  return ids;
}

function announceViewers(ctx: RoomContext, c: string): void {
  ctx.fanout.toStaff({ type: "viewers", c, staff: [...viewersOf(ctx, c)] });
}

/** Sets the conversation in a staff page's chat box; colleagues see who is chatting with whom. */
export function setView(ctx: RoomContext, socket: Socket, c: string | null): void {
  const before = socket.view;
  if (before === c) return;
  socket.view = c;
  if (before) announceViewers(ctx, before);
  if (c) announceViewers(ctx, c);
}

export const view: Command<"view"> = (ctx, socket, msg) => {
  if (!socket.person.staff) return socket.error("forbidden", refusal("close"));
  const conv = msg.c === null ? undefined : ctx.conversations.get(msg.c);
  if (msg.c !== null && !conv) return;
  // Only a patient's chat in view counts: staff chats are never erased by
  // closing, and colleagues outside a staff chat must not hear of it.
  setView(ctx, socket, conv && !conv.staffOnly ? conv.id : null);
};

export const close: Command<"close"> = (ctx, socket, msg) => {
  const { person } = socket;
  const conv = ctx.conversations.get(msg.c);
  if (!person.staff || (conv && !can(person.role, "close", conv.kind))) return socket.error("forbidden", refusal("close"));
  if (socket.view === msg.c) setView(ctx, socket, null);
  // The patient has gone already: only this person's pages still hold it.
  if (!conv) return ctx.fanout.toPerson(person.id, { type: "erased", c: msg.c, upto: msg.upto, mine: true });
  // Nothing above the room's latest number exists yet: a later message must not be erased in advance.
  eraseAs(ctx, person, conv, Math.min(msg.upto, ctx.seq.seq), socket);
};

/** Erases `conv` up to `upto` as `person` would by closing it: for everyone, unless a colleague's page has it open. */
export function eraseAs(ctx: RoomContext, person: Person, conv: Conversation, upto: number, except?: Socket): void {
  const colleagues = viewersOf(ctx, conv.id, except);
  // This person's other pages are no colleague: they lose it either way.
  colleagues.delete(person.id);
  if (colleagues.size > 0) {
    conv.eraseFor(person.id, upto);
    ctx.fanout.toPerson(person.id, { type: "erased", c: conv.id, upto: conv.floorFor(person.id), mine: true });
  } else {
    conv.erase(upto);
    announceErase(ctx, conv);
  }
  ctx.audit("erased", { id: conv.patient?.id ?? conv.id, role: "patient" });
}

/** Tells everyone in a conversation where it is now erased up to. */
export function announceErase(ctx: RoomContext, conv: Conversation): void {
  ctx.fanout.toConversation(conv, { type: "erased", c: conv.id, upto: conv.erasedUpto });
}

/**
 * A staff member opened a fresh page (a reload): what their previous pages
 * had been shown is erased as if they had closed it, conversation by
 * conversation; what they had not been shown yet is kept for them.
 */
export function eraseSeenOnReload(ctx: RoomContext, person: Person): void {
  if (person.seenUpto === 0) return;
  for (const conv of ctx.conversations.patientConversations()) {
    const upto = conv.heldUpTo(person.seenUpto);
    if (upto > conv.floorFor(person.id)) eraseAs(ctx, person, conv, upto);
  }
}

export const downloaded: Command<"downloaded"> = (ctx, socket, msg) => {
  const conv = conversationFor(ctx, socket, msg.c);
  if (!conv) return;
  if (!can(socket.person.role, "downloaded", conv.kind)) return socket.error("forbidden", refusal("downloaded"), { c: msg.c });
  for (const page of ctx.fanout.outsidePages(conv)) page.send({ type: "downloaded", c: conv.id });
  ctx.audit("downloaded", { id: conv.patient?.id ?? conv.id, role: "patient" });
};
