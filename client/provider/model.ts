import { batch, computed, effect, signal } from "@preact/signals";
import { isolateName } from "../../protocol/name-rules";
import { PROTOCOL_VERSION, type ChatMessage, type ServerMessage } from "../../worker/protocol";
import { connect, type Connection } from "../lib/connection";
import { newClientId } from "../lib/ids";
import { Epoch, seedFrames } from "../lib/replica";
import { chime, desktopNotify } from "../lib/notify";
import { createPrefs } from "../lib/prefs";
import { syncClock } from "../lib/time";
import { CONSENT } from "../lib/transcript";
import { downloadThread } from "./download";
import { Thread } from "./thread";

export interface Confirm {
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm(): void;
}

export interface ProviderSession {
  room: string;
  name: string;
  /** The page signs out after this long without use. */
  idleMinutes: number;
}

/**
 * The provider's dashboard: the live queue, one conversation per patient,
 * the chat box in view and the erase rules. Socket messages call into it;
 * components only read its signals and call its actions.
 */
export function createProviderModel(session: ProviderSession) {
  const threads = signal(new Map<string, Thread>());
  const view = signal<{ id: string; minimized: boolean } | null>(null);
  const confirm = signal<Confirm | null>(null);
  const announcement = signal("");
  const lastError = signal<string | null>(null);
  const broadcastStatus = signal<string | null>(null);
  const prefs = createPrefs();
  const epoch = new Epoch();

  const queue = computed(() =>
    [...threads.value.values()].filter((t) => t.status.value !== "left" && t.status.value !== "ended").sort((a, b) => a.checkedInAt - b.checkedInAt),
  );
  const viewed = computed(() => (view.value ? threads.value.get(view.value.id) : undefined));
  const totalUnread = computed(() => [...threads.value.values()].reduce((n, t) => n + t.unread.value, 0));

  const setThreads = (fn: (map: Map<string, Thread>) => void) => {
    const next = new Map(threads.value);
    fn(next);
    threads.value = next;
  };
  const announce = (text: string) => {
    // Re-set so the same words are announced twice in a row.
    announcement.value = "";
    queueMicrotask(() => (announcement.value = text));
  };

  const page = newClientId();
  const conn: Connection = connect({
    url: `/api/rooms/${session.room}/ws?as=provider`,
    hello: () => ({
      type: "hello",
      v: PROTOCOL_VERSION,
      page,
      ...(epoch.current ? { resume: { epoch: epoch.current, cursors: Object.fromEntries([...threads.value.values()].map((t) => [t.id, t.cursor])) } } : {}),
    }),
    onMessage,
    onFinal: () => (lastError.value = "The connection was closed. Please reload the page."),
  });

  function onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case "welcome":
        // A new epoch means the room's memory was reset: hand it back our copies.
        if (epoch.welcome(msg.epoch).handBack) seed();
        syncClock(msg.now);
        for (const t of threads.value.values()) for (const p of t.pending.value) if (!p.failed) conn.send({ type: "send", to: t.id, cid: p.cid, text: p.text });
        return;
      case "pong":
        return epoch.pong();
      case "ack":
        threads.value.get(msg.patient)?.settle(msg.cid);
        return;
      case "resync":
        threads.value.get(msg.patient)?.resync();
        return;
      case "queue": {
        // While re-seeding, the room does not know everyone yet; it tells us who left.
        const present = new Set([...msg.patients.map((p) => p.id), ...(epoch.seeding ? threads.value.keys() : [])]);
        batch(() => {
          setThreads((map) => {
            for (const p of msg.patients) {
              const t = map.get(p.id);
              if (t) t.status.value = p.status;
              else map.set(p.id, new Thread(p));
            }
          });
          for (const t of threads.value.values()) if (!present.has(t.id)) patientLeft(t.id);
        });
        return;
      }
      case "patient": {
        const t = threads.value.get(msg.patient.id);
        if (t) t.status.value = msg.patient.status;
        else {
          setThreads((map) => map.set(msg.patient.id, new Thread(msg.patient)));
          announce(msg.patient.session?.scheduled ? `${msg.patient.name} arrived for a scheduled text-only session.` : `${msg.patient.name} checked in.`);
        }
        return;
      }
      case "session_started": {
        const t = threads.value.get(msg.patient);
        if (!t || t.session.value?.id === msg.session.id) return;
        t.session.value = msg.session;
        t.event(msg.session.startedAt, "Text-only session started");
        return;
      }
      case "session_ended": {
        const t = threads.value.get(msg.patient);
        if (!t) return;
        // Ending erases the session's messages for everyone, this page included.
        batch(() => {
          t.eraseUpTo(t.cursor);
          t.pending.value = [];
          t.unread.value = 0;
          t.status.value = "ended";
          t.session.value = { ...(t.session.value ?? { id: msg.id, startedAt: msg.endedAt }), endedAt: msg.endedAt };
          if (view.value?.id !== t.id) setThreads((map) => map.delete(t.id));
        });
        announce(`The text-only session with ${t.name} ended.`);
        return;
      }
      case "patient_left":
        return patientLeft(msg.id);
      case "msg":
        return received(msg);
      case "erased":
        threads.value.get(msg.patient)?.eraseUpTo(msg.upto);
        return;
      case "error": {
        const t = msg.cid ? [...threads.value.values()].find((t) => t.pending.value.some((p) => p.cid === msg.cid)) : undefined;
        if (t) t.pending.value = t.pending.value.map((p) => (p.cid === msg.cid ? { ...p, failed: msg.message } : p));
        else lastError.value = msg.message;
        return;
      }
    }
  }

  function received(msg: ChatMessage): void {
    const t = threads.value.get(msg.patient);
    if (!t || !t.receive(msg) || msg.from !== "patient") return;
    const v = view.value;
    if (v?.id === t.id) {
      // A minimized box opens again by itself; an open one is already in view.
      if (v.minimized) view.value = { id: t.id, minimized: false };
    } else {
      // A closed box stays closed, and a box showing someone else stays on them.
      t.unread.value++;
      announce(`New message from ${t.name}.`);
    }
    if (prefs.sound.value) chime();
    if (prefs.desktop.value) desktopNotify(`New message from ${isolateName(t.name)}`);
  }

  /** Gives a reset room back every open conversation: queue entry, erase point, session and messages. */
  function seed(): void {
    for (const t of threads.value.values()) {
      if (t.status.value === "left" || t.status.value === "ended") continue;
      const session = t.session.value;
      const info = {
        name: t.name,
        checkedInAt: t.checkedInAt,
        ...(session && !session.endedAt ? { session: { id: session.id, startedAt: session.startedAt, ...(session.scheduled ? { scheduled: true as const } : {}) } } : {}),
      };
      for (const frame of seedFrames(t.id, t.messages.value, { info, ...(t.erasedUpto > 0 ? { erased: t.erasedUpto } : {}) })) conn.send(frame);
    }
    // The room answers in order: its pong means every seed frame was taken.
    conn.send({ type: "ping" });
  }

  function patientLeft(id: string): void {
    const t = threads.value.get(id);
    if (!t || t.status.value === "left" || t.status.value === "ended") return;
    t.status.value = "left";
    t.pending.value = [];
    t.event(Date.now(), `${t.name} left`);
    announce(`${t.name} left the waiting room.`);
    // Keep what the provider may still read or download; drop the rest.
    if (view.value?.id !== id && t.messages.value.length === 0) setThreads((map) => map.delete(id));
  }

  /** Erases a conversation here and in the room, up to what this page holds. */
  function erase(t: Thread): void {
    const upto = t.cursor;
    t.eraseUpTo(upto);
    t.pending.value = [];
    t.unread.value = 0;
    if (t.status.value === "left" || t.status.value === "ended") setThreads((map) => map.delete(t.id));
    else conn.send({ type: "erase", patient: t.id, upto });
  }

  /** Runs `then` at once, or after the provider confirms erasing undownloaded messages. */
  function guardErase(t: Thread | undefined, action: string, then: () => void): void {
    if (!t || !t.undownloaded.value || t.status.value === "ended") return then();
    confirm.value = {
      title: `Erase the chat with ${t.name}?`,
      body: `${action} erases this conversation, and it has not been downloaded. Download it first if you need a record.`,
      confirmLabel: "Erase chat",
      onConfirm: then,
    };
  }

  effect(() => {
    const n = totalUnread.value;
    document.title = n > 0 ? `(${n}) Patient queue` : "Patient queue";
  });

  return {
    session,
    threads,
    queue,
    view,
    viewed,
    totalUnread,
    confirm,
    announcement,
    lastError,
    broadcastStatus,
    prefs,
    status: conn.status,

    openChat(id: string) {
      const t = threads.value.get(id);
      if (!t) return;
      const current = viewed.value;
      const show = () =>
        batch(() => {
          if (current && current !== t) erase(current);
          view.value = { id, minimized: false };
          t.unread.value = 0;
        });
      if (current === t) return show();
      guardErase(current, "Opening another patient's chat", show);
    },
    minimize() {
      if (view.value) view.value = { ...view.value, minimized: true };
    },
    restore() {
      const v = view.value;
      if (!v) return;
      view.value = { ...v, minimized: false };
      const t = threads.value.get(v.id);
      if (t) t.unread.value = 0;
    },
    closeChat() {
      const t = viewed.value;
      guardErase(t, "Closing the chat", () =>
        batch(() => {
          if (t) erase(t);
          view.value = null;
        }),
      );
    },
    send(text: string) {
      const t = viewed.value;
      if (!t || t.status.value === "left") return;
      const cid = newClientId();
      t.pending.value = [...t.pending.value, { cid, text }];
      conn.send({ type: "send", to: t.id, cid, text });
    },
    broadcast(text: string): boolean {
      const waiting = queue.value.length;
      if (!conn.send({ type: "broadcast", cid: newClientId(), text })) {
        broadcastStatus.value = "Not connected. Your message was not sent; try again when the connection is back.";
        return false;
      }
      broadcastStatus.value = `Sent to ${waiting} waiting ${waiting === 1 ? "patient" : "patients"}.`;
      return true;
    },
    /** Starts a text-only session with a patient; another call's conversation is erased. */
    startSession(id: string) {
      const t = threads.value.get(id);
      if (!t) return;
      const current = viewed.value;
      const others = [...threads.value.values()].filter((o) => o !== t && o.session.value && !o.session.value.endedAt);
      const go = () =>
        batch(() => {
          for (const o of others) conn.send({ type: "end_session", patient: o.id });
          if (current && current !== t) erase(current);
          view.value = { id, minimized: false };
          t.unread.value = 0;
          if (!t.session.value) conn.send({ type: "start_session", patient: id });
        });
      const atRisk = [current, ...others].find((o) => o && o !== t && o.undownloaded.value);
      guardErase(atRisk, "Starting another session", go);
    },
    endSession() {
      const t = viewed.value;
      if (!t || !t.session.value || t.session.value.endedAt) return;
      guardErase(t, "Ending the session", () => conn.send({ type: "end_session", patient: t.id }));
    },
    /** Asks for consent first: downloading implies permission from all participants. */
    download() {
      const t = viewed.value;
      if (!t) return;
      confirm.value = {
        title: "Download this chat?",
        body: `${CONSENT} The patient will be told that you saved a copy.`,
        confirmLabel: "Download",
        onConfirm: () => {
          downloadThread(session, t);
          if (t.status.value !== "left" && t.status.value !== "ended") conn.send({ type: "downloaded", patient: t.id });
        },
      };
    },
    /** True while something on the page has not been downloaded. */
    hasUndownloaded: () => [...threads.value.values()].some((t) => t.undownloaded.value),
    dispose() {
      conn.close();
    },
  };
}
export type ProviderModel = ReturnType<typeof createProviderModel>;
