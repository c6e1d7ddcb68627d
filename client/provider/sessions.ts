import { signal, type Signal } from "@preact/signals";
import type { ChatMessage, Participant } from "../../protocol/wire";
import type { Prefs } from "../lib/prefs";
import type { StaffConversation } from "../room/staff-conversation";
import type { RoomClient } from "../room/room-client";
import type { Confirm } from "./model";

export interface SessionDeps {
  selfId: string;
  isHost: boolean;
  client: RoomClient;
  confirm: Signal<Confirm | null>;
  prefs: Prefs;
  /** Takes a chat out of the chat box, if it is there. */
  unview(c: string): void;
}

/**
 * Group sessions on the dashboard: a host adds participants (the access
 * code and invite link), removes them and deletes any message; a
 * front-desk member leaves a session and deletes their own messages; and
 * this person's typing is told to the others unless they turned it off.
 */
export function createSessions({ selfId, isHost, client, confirm, prefs, unview }: SessionDeps) {
  /** The session whose "Add participant" dialog is open. */
  const adding = signal<string | null>(null);

  return {
    adding,
    /** Opens the dialog; a session without a live code gets one. */
    addParticipant(c: string): void {
      adding.value = c;
      const conv = client.get(c);
      if (conv && !conv.code.value) client.send({ type: "new_code", c });
    },
    newCode(c: string): void {
      client.send({ type: "new_code", c });
    },
    withdrawCode(c: string): void {
      client.send({ type: "withdraw_code", c });
    },
    removeParticipant(c: string, who: Participant): void {
      confirm.value = {
        title: `Remove ${who.name}?`,
        body: `${who.name} leaves the session at once and cannot come back into it with their link or code.${who.role === "patient" ? " The session ends for its guests too." : ""}`,
        confirmLabel: "Remove",
        onConfirm: () => client.send({ type: "remove", c, id: who.id }),
      };
    },
    /** A front-desk member leaves a session: it goes from their pages only. */
    leaveSession(c: string): void {
      confirm.value = {
        title: "Leave this session?",
        body: "You are taken off its participant list and the chat is erased from your page. The session goes on for the others.",
        confirmLabel: "Leave session",
        onConfirm: () => {
          client.send({ type: "leave_session", c });
          unview(c);
        },
      };
    },
    /** A host may delete any message, everyone else their own. */
    mayDelete(conv: StaffConversation, msg: ChatMessage): boolean {
      return conv.status.value !== "left" && conv.status.value !== "ended" && (isHost || (msg.by === selfId && !msg.all));
    },
    deleteMessage(conv: StaffConversation, msg: ChatMessage): void {
      confirm.value = {
        title: "Delete this message?",
        body: "It disappears for everyone in this conversation, and nobody can bring it back.",
        confirmLabel: "Delete",
        onConfirm: () => client.send({ type: "delete", c: conv.id, seq: msg.seq }),
      };
    },
    /** This person is typing in `c` (unless they chose not to show it). */
    typing(c: string): void {
      if (prefs.typing.value) client.typing(c);
    },
  };
}
