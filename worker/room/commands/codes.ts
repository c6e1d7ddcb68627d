import type { Command, RoomContext } from "../context";
import type { Conversation } from "../conversation";
import { can, refusal } from "../permissions";
import type { Socket } from "../socket";
import { conversationFor } from "./chat";
import { tookPart } from "./participants";

/**
 * Hosts add participants to a session with an access code (also in the
 * invite link). "Only users with a host license can create group chats":
 * front-desk staff, patients and guests are refused.
 */

function sessionFor(ctx: RoomContext, socket: Socket, c: string): Conversation | undefined {
  const conv = conversationFor(ctx, socket, c);
  if (!conv) return undefined;
  if (can(socket.person.role, "add_participant", conv.kind)) return conv;
  if (socket.person.role === "host" && conv.kind === "waiting") socket.error("bad_frame", "Start a text-only session first.", { c: conv.id });
  else socket.error("forbidden", refusal("add_participant"), { c: conv.id });
  return undefined;
}

export const newCode: Command<"new_code"> = (ctx, socket, msg) => {
  const conv = sessionFor(ctx, socket, msg.c);
  if (!conv) return;
  tookPart(ctx, conv, socket.person);
  ctx.codes.make(conv, (message) => socket.error("unavailable", message, { c: conv.id }));
  ctx.audit("code_made", { id: socket.person.id, role: socket.person.role });
};

export const withdrawCode: Command<"withdraw_code"> = (ctx, socket, msg) => {
  const conv = sessionFor(ctx, socket, msg.c);
  if (!conv) return;
  ctx.codes.withdraw(conv);
  ctx.audit("code_withdrawn", { id: socket.person.id, role: socket.person.role });
};
