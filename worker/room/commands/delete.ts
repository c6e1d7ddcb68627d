import type { ServerMessage, Tombstone } from "../../../protocol/wire";
import type { Command, RoomContext } from "../context";
import type { Conversation } from "../conversation";
import { can, refusal } from "../permissions";
import type { Socket } from "../socket";
import { conversationFor } from "./chat";

/**
 * Deleting a message (SecureVideo's rule): a host any message, everyone
 * else their own. The text leaves the room at once and every page drops
 * it; the room keeps a signed tombstone in its place, as it keeps erase
 * points, so that no copy handed back after a reset, no resend and no
 * resuming page brings the text back.
 */

export function tombstoneFrame(conv: Conversation, t: Tombstone): string {
  return JSON.stringify({ type: "deleted", c: conv.id, ...t } satisfies ServerMessage);
}

/** Keeps a tombstone and tells every page that may hold the message (none at or below its floor), but `except`. */
export function bury(ctx: RoomContext, conv: Conversation, t: Tombstone, except?: Socket): void {
  if (!conv.bury(t)) return;
  let frame: string | undefined;
  for (const page of ctx.fanout.pages(conv)) {
    if (page === except || t.seq <= page.floor || t.seq <= conv.floorFor(page.person.id)) continue;
    page.sendRaw((frame ??= tombstoneFrame(conv, t)));
  }
}

export const deleteMessage: Command<"delete"> = (ctx, socket, msg) => {
  const conv = conversationFor(ctx, socket, msg.c);
  if (!conv) return;
  const me = socket.person;
  const done = conv.graveOf({ seq: msg.seq, by: "", cid: "" });
  // Deleted already (a second click, another page): this page is told again.
  if (done) return socket.sendRaw(tombstoneFrame(conv, done));
  const m = conv.find(msg.seq);
  if (!m || m.seq <= socket.floor || m.seq <= conv.floorFor(me.id)) return socket.error("not_found", "That message is no longer in this conversation.", { c: conv.id });
  const own = m.by === me.id && !m.all;
  if (!can(me.role, "delete_any", conv.kind) && !(own && can(me.role, "delete_own", conv.kind))) return socket.error("forbidden", refusal("delete_own"), { c: conv.id });
  const unsigned = { seq: m.seq, from: m.by, cid: m.cid, time: m.time, by: me.id, name: me.name };
  bury(ctx, conv, { ...unsigned, sig: ctx.sigs.tombstone(conv.id, unsigned) });
  ctx.audit("message_deleted", { id: me.id, role: me.role });
};
