import type { ServerMessage } from "../../../protocol/wire";
import type { Command, RoomContext } from "../context";
import type { Conversation, Stored } from "../conversation";
import { can } from "../permissions";
import type { Socket } from "../socket";
import { tombstoneFrame } from "./delete";
import { tookPart } from "./participants";
import { unarchive } from "./staff-chat";

/** The conversation `c` if this socket's person is in it; otherwise answers the sender and returns nothing. */
export function conversationFor(ctx: RoomContext, socket: Socket, c: string, cid?: string): Conversation | undefined {
  const { person } = socket;
  const conv = ctx.conversations.get(c);
  if (conv && conv.includes(person.id, person.staff)) return conv;
  const message = person.staff ? "This conversation has ended or its patient has left." : "You are no longer in the waiting room.";
  socket.error("recipient_left", message, { ...(cid ? { cid } : {}), c });
  return undefined;
}

export const send: Command<"send"> = (ctx, socket, msg) => {
  const conv = conversationFor(ctx, socket, msg.c, msg.cid);
  if (!conv) return;
  if (!can(socket.person.role, "send", conv.kind)) return socket.error("forbidden", "You cannot write in this conversation.", { cid: msg.cid, c: conv.id });
  post(ctx, conv, socket, msg.cid, msg.text);
};

/**
 * Adds a message to a conversation and sends it to everyone in it. A page
 * resends what it saw no echo for after a reconnect: that is applied once,
 * and the page is told the seq it got.
 */
export function post(ctx: RoomContext, conv: Conversation, socket: Socket, cid: string, text: string): void {
  const author = socket.person;
  const earlier = conv.appliedSeq(author.id, cid);
  if (earlier !== undefined) return socket.send({ type: "ack", c: conv.id, cid, seq: earlier });
  // Deleted before a reset, and resent after it: it stays deleted, and the page is told so.
  const grave = conv.graveOf({ seq: -1, by: author.id, cid });
  if (grave) return socket.sendRaw(tombstoneFrame(conv, grave));
  // Written to a waiting room no staff page is open on: kept for the first
  // staff page to come, even after a reset (see recovery).
  const queued = !conv.staffOnly && !author.staff && !ctx.people.staffOnline;
  const stored: Stored = {
    seq: ctx.seq.nextSeq(),
    n: ctx.seq.nextArrival(),
    cid,
    by: author.id,
    name: author.name,
    role: author.role,
    text,
    time: ctx.now(),
    ...(queued ? { q: true as const } : {}),
    sig: "",
  };
  stored.sig = ctx.sigs.message(conv.id, stored);
  conv.append(stored);
  ctx.fanout.message(conv, stored);
  // The message ends their typing notice on every page: the next keystroke starts a new one.
  author.typedAt?.delete(conv.id);
  if (conv.staffOnly) unarchive(ctx, conv);
  else tookPart(ctx, conv, author);
}

/**
 * One message to every patient waiting. It is numbered and signed once and
 * held once, shared by every conversation; staff pages get it as one frame
 * and each patient's page gets it in their conversation, so the work per
 * patient is their conversation id.
 */
export const broadcast: Command<"broadcast"> = (ctx, socket, msg) => {
  const author = socket.person;
  if (!can(author.role, "broadcast")) return socket.error("forbidden", "Only staff can do that.", { cid: msg.cid });
  if (ctx.conversations.sentToAll(author.id, msg.cid) !== undefined) return;
  const fields = {
    seq: ctx.seq.nextSeq(),
    n: ctx.seq.nextArrival(),
    cid: msg.cid,
    by: author.id,
    name: author.name,
    role: author.role,
    text: msg.text,
    time: ctx.now(),
    all: true as const,
  };
  const stored: Stored = { ...fields, sig: ctx.sigs.message("*", fields) };
  ctx.conversations.noteSentToAll(author.id, msg.cid, stored.seq);
  const tail = JSON.stringify(stored).slice(1);
  for (const conv of ctx.conversations.patientConversations()) {
    if (conv.kind !== "waiting") continue;
    conv.append(stored);
    let frame: string | undefined;
    for (const page of ctx.fanout.outsidePages(conv)) page.sendRaw((frame ??= `{"type":"msg","c":${JSON.stringify(conv.id)},${tail}`));
  }
  ctx.fanout.toStaff(`{"type":"broadcast",${tail}`);
};

export const ping: Command<"ping"> = (_ctx, socket) => socket.send({ type: "pong" } satisfies ServerMessage);
