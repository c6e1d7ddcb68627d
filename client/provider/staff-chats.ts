import { computed, type Signal } from "@preact/signals";
import { newClientId } from "../lib/ids";
import type { StaffConversation } from "../room/staff-conversation";
import type { RoomClient } from "../room/room-client";
import type { Confirm } from "./model";

export interface StaffChatsDeps {
  selfId: string;
  client: RoomClient;
  confirm: Signal<Confirm | null>;
  /** Puts a chat in the chat box (with the erase guard for the one it replaces). */
  openChat(c: string): void;
  /** Takes a chat out of the chat box, if it is there. */
  unview(c: string): void;
  title(conv: StaffConversation): string;
}

/**
 * Staff chats: one-to-one chats with colleagues and staff groups, with each
 * person's own settings (mute, archive). They are never erased by closing
 * their box; they live in the room while a member is signed in.
 */
export function createStaffChats({ selfId, client, confirm, openChat, unview, title }: StaffChatsDeps) {
  /** A chat this page asked the room for: a colleague's id, or "group" for a group this host is creating. */
  let opening: string | null = null;
  const chats = computed(() => [...client.conversations.value.values()].filter((c) => c.staffOnly));
  const directWith = (id: string) => chats.value.find((c) => c.kind.value === "direct" && c.meta.value?.members.some((m) => m.id === id));

  return {
    /** Groups in the Staff list: archived ones stay out until they come back. */
    groups: computed(() => chats.value.filter((c) => c.kind.value === "group" && !c.archived.value)),
    /** The chat with a colleague, as the Staff list shows it (not when archived). */
    listedDirect(id: string): StaffConversation | undefined {
      const conv = directWith(id);
      return conv && !conv.archived.value ? conv : undefined;
    },
    /** The room told this page of a staff chat: open it if this page asked for it. */
    added(conv: StaffConversation): void {
      const meta = conv.meta.value!;
      const asked = meta.kind === "direct" ? meta.members.some((m) => m.id === opening) : opening === "group" && meta.owner === selfId;
      if (!asked) return;
      opening = null;
      openChat(conv.id);
    },
    /** Opens the one-to-one chat with a colleague, asking the room for it the first time. */
    openDirect(id: string): void {
      const existing = directWith(id);
      if (existing) return openChat(existing.id);
      opening = id;
      client.send({ type: "direct", with: id });
    },
    createGroup(groupTitle: string, members: string[]): boolean {
      opening = "group";
      return client.send({ type: "create_group", cid: newClientId(), title: groupTitle, members });
    },
    setMuted(c: string, muted: boolean): void {
      client.send({ type: "prefs", c, muted });
    },
    /** Out of the list, read, until a new message brings it back; a group this person left just goes. */
    archive(c: string): void {
      const conv = client.get(c);
      if (!conv) return;
      unview(c);
      conv.unread.value = 0;
      if (conv.status.value === "left") client.drop(c);
      else client.send({ type: "prefs", c, archived: true });
    },
    leaveGroup(c: string): void {
      const conv = client.get(c);
      if (!conv) return;
      confirm.value = {
        title: `Leave ${title(conv)}?`,
        body: "You will no longer receive messages from this group. What you have here stays until you archive it.",
        confirmLabel: "Leave group",
        onConfirm: () => client.send({ type: "leave_group", c }),
      };
    },
    deleteGroup(c: string): void {
      const conv = client.get(c);
      if (!conv) return;
      confirm.value = {
        title: `Delete ${title(conv)}?`,
        body: "The group and its messages disappear for every member at once.",
        confirmLabel: "Delete group",
        onConfirm: () => client.send({ type: "delete_group", c }),
      };
    },
  };
}
