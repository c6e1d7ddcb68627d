import { TYPING, type ServerMessage } from "../../../protocol/wire";
import type { Command } from "../context";
import { can } from "../permissions";

/**
 * "<name> is typing…": passed on to the others in that conversation only,
 * at most twice per sending period per person and conversation, and never
 * kept. A notice the sender may not give is dropped without an answer:
 * typing is not worth an error on the page.
 */
export const typing: Command<"typing"> = (ctx, socket, msg) => {
  const me = socket.person;
  const conv = ctx.conversations.get(msg.c);
  if (!conv || !conv.includes(me.id, me.staff) || !can(me.role, "typing", conv.kind)) return;
  const now = ctx.now();
  const last = me.typedAt?.get(conv.id) ?? -Infinity;
  if (now - last < TYPING.sendEveryMs / 2) return;
  if ((me.typedAt ??= new Map()).size > 100) me.typedAt.clear();
  me.typedAt.set(conv.id, now);
  const frame = JSON.stringify({ type: "typing", c: conv.id, id: me.id, name: me.name } satisfies ServerMessage);
  for (const page of ctx.fanout.pages(conv)) if (page.person !== me) page.sendRaw(frame);
};
