import { batch, computed, effect, signal } from "@preact/signals";
import type { StaffRole } from "../../protocol/wire";
import { connect, type Connection } from "../lib/connection";
import { api } from "../lib/http";
import { newClientId } from "../lib/ids";
import { chime, desktopNotify } from "../lib/notify";
import { createPrefs } from "../lib/prefs";
import { syncClock } from "../lib/time";
import { CONSENT } from "../lib/transcript";
import type { Conversation } from "../room/conversation";
import { RoomClient, type RoomEvent } from "../room/room-client";
import { downloadConversation } from "./download";
import { titleOf } from "./names";

export interface Confirm {
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm(): void;
}

export interface ProviderSession {
  room: string;
  name: string;
  role: StaffRole;
  /** This staff member's id in the room. */
  id: string;
  /** The page signs out after this long without use. */
  idleMinutes: number;
  /** How often the page renews its short-lived sign-in while open. */
  refreshSeconds: number;
}

/**
 * The staff dashboard: the live queue, every conversation (patients' and
 * staff chats), the chat box in view and the erase rules. The room client
 * turns frames into state; this model turns its events into what the page
 * does (open a minimized box, count unread, chime, announce). Components
 * only read its signals and call its actions.
 */
export function createProviderModel(session: ProviderSession, onSignedOut: (message: string) => void) {
  const view = signal<{ c: string; minimized: boolean } | null>(null);
  const confirm = signal<Confirm | null>(null);
  const announcement = signal("");
  const lastError = signal<string | null>(null);
  const broadcastStatus = signal<string | null>(null);
  const prefs = createPrefs();
  /** A chat this page asked the room to open (a colleague's id, or a new group's client id). */
  let opening: string | null = null;

  let conn: Connection | undefined;
  const client = new RoomClient({ send: (msg) => conn?.send(msg) ?? false });
  const conversations = client.conversations;

  const all = computed(() => [...conversations.value.values()]);
  const queue = computed(() =>
    all.value
      .filter((c) => c.patient.value && c.status.value !== "left" && c.status.value !== "ended")
      .sort((a, b) => a.patient.value!.checkedInAt - b.patient.value!.checkedInAt),
  );
  /** Staff conversations in the list: not archived, or with something unread. */
  const staffChats = computed(() => all.value.filter((c) => c.staffOnly && (!c.archived.value || c.unread.value > 0)));
  const colleagues = computed(() => client.colleagues.value.filter((m) => m.id !== session.id));
  const viewed = computed(() => (view.value ? conversations.value.get(view.value.c) : undefined));
  const totalUnread = computed(() => all.value.reduce((n, c) => n + c.unread.value, 0));
  const nameOf = (id: string) => client.colleagues.value.find((m) => m.id === id)?.name ?? "A colleague";
  const title = (c: Conversation) => titleOf(c, session.id);

  const announce = (text: string) => {
    // Re-set so the same words are announced twice in a row.
    announcement.value = "";
    queueMicrotask(() => (announcement.value = text));
  };

  client.on(onEvent);

  function onEvent(event: RoomEvent): void {
    switch (event.type) {
      case "welcome":
        syncClock(event.now);
        if (document.visibilityState === "hidden") client.send({ type: "presence", away: true });
        if (view.value) client.send({ type: "view", c: view.value.c });
        return;
      case "message":
        return received(event.conv, event.msg.name);
      case "patient_arrived": {
        const p = event.conv.patient.value!;
        announce(event.conv.session.value?.scheduled ? `${p.name} arrived for a scheduled text-only session.` : `${p.name} checked in.`);
        return;
      }
      case "patient_left": {
        const conv = event.conv;
        conv.event(Date.now(), `${title(conv)} left`);
        announce(`${title(conv)} left the waiting room.`);
        // Keep what staff may still read or download; drop the rest.
        if (view.value?.c !== conv.id && conv.messages.value.length === 0) client.drop(conv.id);
        return;
      }
      case "session_started":
        event.conv.event(event.conv.session.value!.startedAt, "Text-only session started");
        return;
      case "session_ended":
        announce(`The text-only session with ${title(event.conv)} ended.`);
        if (view.value?.c !== event.conv.id) client.drop(event.conv.id);
        return;
      case "erased":
        if (!event.mine) event.conv.event(Date.now(), "A colleague closed this chat. Earlier messages were erased.");
        return;
      case "member_left":
        event.conv.event(Date.now(), `${event.name} left`);
        return;
      case "conversation_added": {
        const meta = event.conv.meta.value!;
        const mineToOpen = opening !== null && (meta.kind === "direct" ? meta.members.some((m) => m.id === opening) : meta.owner === session.id);
        if (mineToOpen) {
          opening = null;
          openChat(event.conv.id);
        }
        return;
      }
      case "group_deleted":
        announce(`The group ${title(event.conv)} was deleted.`);
        if (view.value?.c === event.conv.id) view.value = null;
        return;
      case "downloaded":
        return;
      case "notice":
        lastError.value = event.text;
        return;
    }
  }

  function received(conv: Conversation, from: string): void {
    const v = view.value;
    if (v?.c === conv.id) {
      // A minimized box opens again by itself (unless muted); an open one is already in view.
      if (v.minimized && !conv.muted.value) view.value = { c: conv.id, minimized: false };
      else if (v.minimized) conv.unread.value++;
    } else {
      // A closed box stays closed, and a box showing someone else stays on them.
      conv.unread.value++;
      announce(`New message from ${from}.`);
    }
    if (conv.muted.value) return;
    if (prefs.sound.value) chime();
    if (prefs.desktop.value) desktopNotify(`New message from ${from}`);
  }

  /** Erases a patient's conversation as a close does; staff chats are only put away. */
  function putAway(conv: Conversation): void {
    if (conv.staffOnly) return;
    client.close(conv.id);
  }

  /** Runs `then` at once, or after the staff member confirms what closing `conv` will do. */
  function guardErase(conv: Conversation | undefined, action: string, then: () => void): void {
    if (!conv || conv.staffOnly || conv.status.value === "ended") return then();
    const others = conv.viewers.value.filter((id) => id !== session.id).map(nameOf);
    if (others.length > 0) {
      confirm.value = {
        title: `Close the chat with ${title(conv)}?`,
        body: `${others.join(" and ")} ${others.length === 1 ? "has" : "have"} this chat open too. It stays open for them; ${action.toLowerCase()} erases it from your page only.`,
        confirmLabel: "Close chat",
        onConfirm: then,
      };
      return;
    }
    if (!conv.undownloaded.value) return then();
    confirm.value = {
      title: `Erase the chat with ${title(conv)}?`,
      body: `${action} erases this conversation, and it has not been downloaded. Download it first if you need a record.`,
      confirmLabel: "Erase chat",
      onConfirm: then,
    };
  }

  function show(c: string): void {
    const conv = conversations.value.get(c);
    if (!conv) return;
    view.value = { c, minimized: false };
    conv.unread.value = 0;
    if (conv.archived.value) client.send({ type: "prefs", c, archived: false });
    client.send({ type: "view", c });
  }

  function openChat(c: string): void {
    const current = viewed.value;
    if (current?.id === c) return show(c);
    guardErase(current, "Opening another chat", () =>
      batch(() => {
        if (current) putAway(current);
        show(c);
      }),
    );
  }

  effect(() => {
    const n = totalUnread.value;
    document.title = n > 0 ? `(${n}) Patient queue` : "Patient queue";
  });

  const onVisibility = () => client.send({ type: "presence", away: document.visibilityState === "hidden" });
  document.addEventListener("visibilitychange", onVisibility);

  // The sign-in is short-lived: renew it while the page is open, never past the link's expiry.
  const signedOut = (message: string) => {
    dispose();
    onSignedOut(message);
  };
  const checkSignIn = async (path: string, method: "GET" | "POST") => {
    const res = await api(path, { method });
    if (!res.ok && res.status === 401) signedOut("Your sign-in has ended. Open your private provider link again to sign in.");
  };
  const refresh = setInterval(() => void checkSignIn("/api/provider/refresh", "POST"), session.refreshSeconds * 1000);
  let lastCheck = 0;

  conn = connect({
    url: `/api/rooms/${session.room}/ws?as=staff`,
    hello: () => client.hello(),
    onMessage: (msg) => client.receive(msg),
    onFinal: () => (lastError.value = "The connection was closed. Please reload the page."),
    onFailing: () => {
      if (Date.now() - lastCheck < 10_000) return;
      lastCheck = Date.now();
      void checkSignIn("/api/provider/me", "GET");
    },
  });

  function dispose(): void {
    clearInterval(refresh);
    document.removeEventListener("visibilitychange", onVisibility);
    conn?.close();
  }

  return {
    session,
    client,
    conversations,
    queue,
    staffChats,
    colleagues,
    view,
    viewed,
    totalUnread,
    confirm,
    announcement,
    lastError,
    broadcastStatus,
    prefs,
    status: conn.status,
    isHost: session.role === "host",
    title,
    nameOf,

    openChat,
    minimize() {
      if (view.value) view.value = { ...view.value, minimized: true };
    },
    restore() {
      const v = view.value;
      if (!v) return;
      view.value = { ...v, minimized: false };
      const conv = conversations.value.get(v.c);
      if (conv) conv.unread.value = 0;
    },
    closeChat() {
      const conv = viewed.value;
      guardErase(conv, "Closing the chat", () =>
        batch(() => {
          if (conv) putAway(conv);
          view.value = null;
          client.send({ type: "view", c: null });
        }),
      );
    },
    send(text: string) {
      const conv = viewed.value;
      if (!conv || conv.status.value === "left" || conv.status.value === "ended") return;
      client.write(conv.id, text);
    },
    broadcast(text: string): boolean {
      const waiting = queue.value.filter((c) => c.kind.value === "waiting").length;
      if (!client.send({ type: "broadcast", cid: newClientId(), text })) {
        broadcastStatus.value = "Not connected. Your message was not sent; try again when the connection is back.";
        return false;
      }
      broadcastStatus.value = `Sent to ${waiting} waiting ${waiting === 1 ? "patient" : "patients"}.`;
      return true;
    },
    /** Starts a text-only session with a patient; another call's conversation is erased. */
    startSession(c: string) {
      const conv = conversations.value.get(c);
      if (!conv) return;
      const current = viewed.value;
      const others = all.value.filter((o) => o !== conv && !o.staffOnly && o.session.value && !o.session.value.endedAt && o.status.value !== "ended");
      const go = () =>
        batch(() => {
          for (const o of others) client.send({ type: "end_session", c: o.id });
          if (current && current !== conv) putAway(current);
          show(c);
          if (!conv.session.value) client.send({ type: "start_session", c });
        });
      const atRisk = [current, ...others].find((o) => o && o !== conv && !o.staffOnly && o.undownloaded.value);
      guardErase(atRisk, "Starting another session", go);
    },
    endSession() {
      const conv = viewed.value;
      if (!conv || !conv.session.value || conv.session.value.endedAt) return;
      if (!conv.undownloaded.value) return void client.send({ type: "end_session", c: conv.id });
      guardErase(conv, "Ending the session", () => client.send({ type: "end_session", c: conv.id }));
    },
    /** Asks for consent first: downloading implies permission from all participants. */
    download() {
      const conv = viewed.value;
      if (!conv) return;
      confirm.value = {
        title: "Download this chat?",
        body: `${CONSENT}${conv.staffOnly ? "" : " The patient will be told that you saved a copy."}`,
        confirmLabel: "Download",
        onConfirm: () => {
          downloadConversation(session, conv);
          if (!conv.staffOnly && conv.status.value !== "left" && conv.status.value !== "ended") client.send({ type: "downloaded", c: conv.id });
        },
      };
    },
    /** Opens the one-to-one chat with a colleague, asking the room for it the first time. */
    openDirect(id: string) {
      const existing = all.value.find((c) => c.kind.value === "direct" && c.meta.value?.members.some((m) => m.id === id));
      if (existing) return openChat(existing.id);
      opening = id;
      client.send({ type: "direct", with: id });
    },
    createGroup(groupTitle: string, members: string[]): boolean {
      opening = "group";
      return client.send({ type: "create_group", cid: newClientId(), title: groupTitle, members });
    },
    setMuted(c: string, muted: boolean) {
      client.send({ type: "prefs", c, muted });
    },
    archive(c: string) {
      if (view.value?.c === c) {
        view.value = null;
        client.send({ type: "view", c: null });
      }
      client.send({ type: "prefs", c, archived: true });
    },
    leaveGroup(c: string) {
      const conv = conversations.value.get(c);
      if (!conv) return;
      confirm.value = {
        title: `Leave ${title(conv)}?`,
        body: "You will no longer receive messages from this group.",
        confirmLabel: "Leave group",
        onConfirm: () => client.send({ type: "leave_group", c }),
      };
    },
    deleteGroup(c: string) {
      const conv = conversations.value.get(c);
      if (!conv) return;
      confirm.value = {
        title: `Delete ${title(conv)}?`,
        body: "The group and its messages disappear for every member at once.",
        confirmLabel: "Delete group",
        onConfirm: () => client.send({ type: "delete_group", c }),
      };
    },
    /** True while something on the page has not been downloaded. */
    hasUndownloaded: () => all.value.some((c) => !c.staffOnly && c.undownloaded.value),
    dispose,
  };
}
export type ProviderModel = ReturnType<typeof createProviderModel>;
