import type { ChatMessage } from "../../protocol/wire";
import { fileLine, type LogLine } from "../ui/ChatLog";
import type { Conversation } from "./conversation";

export interface LineOptions {
  /** This page's person. */
  self?: string;
  /** The text a message shows (the dashboard marks messages to everyone waiting). */
  text?(msg: ChatMessage): string;
  /** Whether this person may delete `msg` (a host any message, everyone else their own). */
  mayDelete?(msg: ChatMessage): boolean;
  onDelete?(msg: ChatMessage): void;
}

/** A conversation's timeline as log lines: messages, deleted messages' places, events and files. */
export function linesOf(conv: Conversation, opts: LineOptions = {}): LogLine[] {
  return conv.timeline().map((item): LogLine => {
    if (item.kind === "event") return { key: `e${item.event.time}${item.event.text}`, text: item.event.text, time: item.event.time };
    if (item.kind === "deleted") return { key: `d${item.tombstone.seq}`, text: "", deleted: true };
    if (item.kind === "file") return fileLine(item.file, opts.self);
    const msg = item.msg;
    const onDelete = opts.onDelete && opts.mayDelete?.(msg) ? () => opts.onDelete!(msg) : undefined;
    return {
      key: `m${msg.seq}`,
      from: { name: msg.name, self: msg.by === opts.self },
      text: opts.text ? opts.text(msg) : msg.text,
      time: msg.time,
      ...(onDelete ? { onDelete } : {}),
    };
  });
}
