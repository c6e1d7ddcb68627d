import { batch, computed, effect, signal } from "@preact/signals";
import { isolateName } from "../../protocol/name-rules";
import { CLOSE, isStaff, type StaffRole } from "../../protocol/constants";
import { lazyFileSharing } from "../files/loader";
import { connect, type Connection } from "../lib/connection";
import { newClientId } from "../lib/ids";
import { chime, desktopNotify } from "../lib/notify";
import { createPrefs } from "../lib/prefs";
import { syncClock } from "./clock";
import { CONSENT } from "../lib/transcript";
import type { StaffConversation } from "../room/staff-conversation";
import { RoomClient, type RoomEvent } from "../room/room-client";
import { downloadConversation } from "./download";
import { titleOf } from "./names";
import { createSessions } from "./sessions";
import { keepSignedIn, SIGNED_OUT } from "./sign-in";
import { createStaffChats } from "./staff-chats";

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
  /** Sessions this page started: its calls, which starting another one ends. */
  const startedHere = new Set<string>();

  let conn: Connection | undefined;
  const client = new RoomClient({ send: (msg) => conn?.send(msg) ?? false });
  const conversations = client.conversations;

  const all = computed(() => [...conversations.value.values()]);
  const queue = computed(() =>
    all.value
      .filter((c) => c.patient.value && c.status.value !== "left" && c.status.value !== "ended")
      .sort((a, b) => a.patient.value!.checkedInAt - b.patient.value!.checkedInAt),
  );
  /** Colleagues signed in to this waiting room, in name order so presence changes do not reorder them. */
  const colleagues = computed(() => client.colleagues.value.filter((m) => m.id !== session.id).sort((a, b) => a.name.localeCompare(b.name)));
  const viewed = computed(() => (view.value ? conversations.value.get(view.value.c) : undefined));
  const totalUnread = computed(() => all.value.reduce((n, c) => n + c.unread.value, 0));
  const nameOf = (id: string) => client.colleagues.value.find((m) => m.id === id)?.name ?? "A colleague";
  const title = (c: StaffConversation) => titleOf(c, session.id);
  /** The names of colleagues whose chat box shows `conv`. */
  const colleaguesViewing = (conv: StaffConversation) => conv.viewers.value.filter((id) => id !== session.id).map(nameOf);
  const staffChats = createStaffChats({ selfId: session.id, client, confirm, openChat, unview, title });
  const sessions = createSessions({ selfId: session.id, isHost: session.role === "host", client, confirm, prefs, unview });
  const sharing = lazyFileSharing({ room: session.room, asStaff: true, client: () => client });
  client.files.onUpload = sharing.upload;
  // A file from someone else is news, as a message is.
  client.files.onNew = (conv, file) => received(conv, file.name, isStaff(file.role));

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
        return received(event.conv, event.msg.name, isStaff(event.msg.role));
      case "patient_arrived": {
        const p = event.conv.patient.value!;
        announce(event.conv.session.value?.scheduled ? `${p.name} arrived for a scheduled text-only session.` : `${p.name} checked in.`);
        return;
      }
      case "patient_left": {
        const conv = event.conv;
        // A session's list has said so already (left, or removed by a host).
        if (!conv.roster.value?.members.some((m) => m.role === "patient" && m.gone)) conv.event(Date.now(), `${title(conv)} left`);
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
      case "conversation_added":
        return staffChats.added(event.conv);
      case "group_deleted":
        announce(`The group ${title(event.conv)} was deleted.`);
        unview(event.conv.id);
        return;
      case "downloaded":
      case "deleted":
      case "participants":
        return;
      case "notice":
        lastError.value = event.text;
        return;
    }
  }

  /**
   * A new message from someone else. In a patient's chat only the patient's
   * own messages count: a colleague writing to them is not news for this page.
   */
  function received(conv: StaffConversation, from: string, byStaff: boolean): void {
    if (byStaff && !conv.staffOnly) return;
    const muted = conv.muted.value;
    const v = view.value;
    const inView = v?.c === conv.id;
    // A minimized box opens again by itself, unless muted. A closed box stays
    // closed and a box showing someone else stays on them: the counter rises.
    if (inView && v.minimized && !muted) view.value = { c: conv.id, minimized: false };
    else if (!inView || v.minimized) conv.unread.value++;
    if (muted) return;
    const what = `New message from ${from}${conv.kind.value === "group" ? ` in ${title(conv)}` : ""}`;
    // What the box shows, its log announces.
    if (!inView) announce(`${what}.`);
    if (prefs.sound.value) chime();
    // The desktop notification names the sender, isolated so an odd name cannot reorder it; never the text.
    if (prefs.desktop.value) desktopNotify(`New message from ${isolateName(from)}${conv.kind.value === "group" ? ` in ${isolateName(title(conv))}` : ""}`);
  }

  /** Erases a patient's conversation as a close does; staff chats are only put away. */
  function putAway(conv: StaffConversation): void {
    if (conv.staffOnly) return;
    client.close(conv.id);
  }

  /**
   * Runs `then` at once, or after the staff member confirms what it will
   * erase of `conv`: from their page only when a colleague has it open
   * (unless it goes for everyone anyway, as ending a session does), or an
   * undownloaded conversation. With nothing on the page, nothing is asked.
   */
  function guardErase(conv: StaffConversation | undefined, action: string, then: () => void, forEveryone = false): void {
    if (!conv || conv.staffOnly || conv.status.value === "ended" || (conv.messages.value.length === 0 && conv.files.value.length === 0)) return then();
    const others = forEveryone ? [] : colleaguesViewing(conv);
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

  /** Takes `c` out of the chat box, if it is there, without erasing anything. */
  function unview(c: string): void {
    if (view.value?.c !== c) return;
    view.value = null;
    client.send({ type: "view", c: null });
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

  const signIn = keepSignedIn(session.refreshSeconds, () => {
    dispose();
    onSignedOut(SIGNED_OUT);
  });

  conn = connect({
    url: `/api/rooms/${session.room}/ws?as=staff`,
    hello: () => client.hello(),
    onMessage: (msg) => client.receive(msg),
    onFinal: (code) => {
      // Signed out on another page, or from the server: this page is signed out too.
      if (code !== CLOSE.signedOut) return void (lastError.value = "The connection was closed. Please reload the page.");
      dispose();
      onSignedOut(SIGNED_OUT);
    },
    onFailing: () => signIn.verify(),
  });

  function dispose(): void {
    signIn.stop();
    sharing.dispose();
    document.removeEventListener("visibilitychange", onVisibility);
    conn?.close();
  }

  return {
    session,
    client,
    conversations,
    queue,
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
    colleaguesViewing,
    ...staffChats,
    ...sessions,

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
    /** Offers files in a chat (picked with "Attach file" or dropped on it). */
    attachFiles(conv: StaffConversation, files: File[]) {
      if (conv.status.value === "left" || conv.status.value === "ended") return;
      sharing.attach(conv, files);
    },
    fileActions: sharing.actions,
    broadcast(text: string): boolean {
      const waiting = queue.value.filter((c) => c.kind.value === "waiting").length;
      if (!client.send({ type: "broadcast", cid: newClientId(), text })) {
        broadcastStatus.value = "Not connected. Your message was not sent; try again when the connection is back.";
        return false;
      }
      broadcastStatus.value = `Sent to ${waiting} waiting ${waiting === 1 ? "patient" : "patients"}.`;
      return true;
    },
    /**
     * Starts a text-only session with a patient. This page's other call (the
     * session in its box, or one it started) ends, erased for everyone; but
     * a session a colleague has open is theirs too: it goes from this page only.
     */
    startSession(c: string) {
      const conv = conversations.value.get(c);
      if (!conv) return;
      const current = viewed.value;
      const calls = all.value.filter((o) => o !== conv && !o.staffOnly && o.session.value && o.status.value !== "ended" && (o === current || startedHere.has(o.id)));
      const go = () =>
        batch(() => {
          for (const o of calls) {
            if (colleaguesViewing(o).length > 0) putAway(o);
            else client.send({ type: "end_session", c: o.id });
          }
          if (current && current !== conv && !calls.includes(current)) putAway(current);
          show(c);
          if (conv.session.value) return;
          startedHere.add(c);
          client.send({ type: "start_session", c });
        });
      const leaving = [current, ...calls].filter((o): o is StaffConversation => !!o && o !== conv && !o.staffOnly);
      guardErase(leaving.find((o) => colleaguesViewing(o).length > 0) ?? leaving.find((o) => o.undownloaded.value), "Starting another session", go);
    },
    endSession() {
      const conv = viewed.value;
      if (!conv || !conv.session.value || conv.session.value.endedAt) return;
      if (!conv.undownloaded.value) return void client.send({ type: "end_session", c: conv.id });
      guardErase(conv, "Ending the session", () => client.send({ type: "end_session", c: conv.id }), true);
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
    /** True while something on the page has not been downloaded. */
    hasUndownloaded: () => all.value.some((c) => !c.staffOnly && c.undownloaded.value),
    dispose,
  };
}
export type ProviderModel = ReturnType<typeof createProviderModel>;
