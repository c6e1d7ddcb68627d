import { batch, computed, signal } from "@preact/signals-core";
import { displayNameProblem } from "../../protocol/name-rules";
import { CLOSE } from "../../protocol/constants";
import type { ChatMessage } from "../../protocol/wire";
import { fileCode, lazyFileSharing, loadFileCode } from "../files/loader";
import { connect, type Connection } from "../lib/connection";
import { api } from "../lib/http";
import { PatientClient, type PatientEvent } from "./patient-client";
import type { Conversation } from "../room/conversation";
import { linesOf } from "../room/log-lines";
import type { LogLine } from "../ui/ChatLog";
import type { ConfirmRequest } from "../ui/ConfirmDialog";

type Phase = "loading" | "checkin" | "waiting" | "left" | "ended" | "full" | "removed";
interface Me {
  id: string;
  /** Their conversation. */
  c: string;
  name: string;
  checkedInAt: number;
  /** Someone who joined a session by access code (family member, interpreter); a patient otherwise. */
  role?: "guest";
}

/**
 * The patient's page: check-in, waiting, and the chat with the clinic's
 * staff. A guest who joined a session by code has the same page, in the
 * session from the start. Everything lives in page memory; a reload starts
 * the conversation empty (the room enforces it too).
 */
export function createPatientModel(room: string) {
  const phase = signal<Phase>("loading");
  /** Why the page says "left": the waiting room or a session. */
  const leftSession = signal(false);
  const confirm = signal<ConfirmRequest | null>(null);
  const me = signal<Me | null>(null);
  const checkInError = signal<string | null>(null);
  const busy = signal(false);
  let conn: Connection | null = null;
  const sharing = lazyFileSharing({ room, asStaff: false, client: () => client });
  let client = newClient();
  const current = signal<PatientClient>(client);

  function newClient(): PatientClient {
    const c = new PatientClient((msg) => conn?.send(msg) ?? false, onEvent, { loaded: () => fileCode.value?.RoomFiles, load: loadFileCode });
    c.onUpload = sharing.upload;
    return c;
  }

  const conv = computed<Conversation | null>(() => current.value.mine.value);
  const staffOnline = computed(() => current.value.staffOnline.value);
  const session = computed(() => conv.value?.session.value ?? null);
  const self = computed(() => current.value.self.value?.id);
  const lines = computed<LogLine[]>(() => {
    const c = conv.value;
    if (!c) return [];
    return [
      ...linesOf(c, { self: self.value, mayDelete: (msg) => msg.by === self.value && !msg.all, onDelete: deleteMessage }),
      ...c.pending.value.map((p) => ({ key: p.cid, from: { name: me.value?.name ?? "", self: true }, text: p.text, pending: !p.failed, failed: p.failed })),
    ];
  });
  const status = computed(() => conn?.status.value ?? "connecting");

  const notice = (text: string) => conv.value?.event(Date.now(), text);

  /** Everyone but a host may delete their own messages; it goes for everyone. */
  function deleteMessage(msg: ChatMessage): void {
    confirm.value = {
      title: "Delete this message?",
      body: "It disappears for everyone in this conversation, and nobody can bring it back.",
      confirmLabel: "Delete",
      onConfirm: () => void client.send({ type: "delete", c: msg.c, seq: msg.seq }),
    };
  }

  /**
   * This page is out for good (left, removed, or the session ended): its
   * copy goes, and so does the cookie, except after a removal: the room
   * refuses that cookie, and a reload says so again.
   */
  function out(next: Phase): void {
    conn?.close();
    conn = null;
    batch(() => {
      phase.value = next;
      forget();
    });
    if (next !== "removed") void api(`/api/rooms/${room}/me`, { method: "DELETE" });
  }

  function onEvent(event: PatientEvent): void {
    // The page shows no waiting time, so it keeps no server clock (the dashboard does).
    switch (event.type) {
      case "erased":
        return notice("The provider cleared this chat. Earlier messages were erased.");
      case "session_started":
        return notice("Your provider started a text-only session. You can keep writing here.");
      case "session_ended":
        return out("ended");
      case "downloaded":
        return notice("The provider saved a copy of this chat.");
      case "notice":
        return notice(event.text);
    }
  }

  /** Drops this page's copy of the conversation. */
  function forget(): void {
    sharing.dispose();
    client = newClient();
    current.value = client;
  }

  function start(who: Me): void {
    batch(() => {
      me.value = who;
      phase.value = "waiting";
    });
    const c = client;
    c.own(who.c);
    conn = connect({
      url: `/api/rooms/${room}/ws${who.role === "guest" ? "?as=guest" : ""}`,
      hello: () => c.hello(),
      onMessage: (msg) => c.receive(msg),
      onFinal: (code) => {
        // The session ended: its messages are gone for everyone, and so is our place.
        if (code === CLOSE.ended) return out("ended");
        if (code === CLOSE.removed) return out("removed");
        if (code === CLOSE.left && (who.role === "guest" || session.value)) leftSession.value = true;
        phase.value = code === CLOSE.left ? "left" : "full";
      },
      onFailing: async () => {
        // The upgrade is refused once the cookie has expired (a scheduled session's window ended).
        const res = await api(`/api/rooms/${room}/me`);
        if (!res.ok && res.status === 401) {
          conn?.close();
          conn = null;
          batch(() => {
            phase.value = "checkin";
            forget();
          });
        }
      },
    });
  }

  return {
    phase,
    leftSession,
    confirm,
    me,
    checkInError,
    busy,
    staffOnline,
    session,
    conv,
    self,
    lines,
    status,

    async init() {
      const res = await api<Me>(`/api/rooms/${room}/me`);
      if (res.ok) start(res.data);
      else phase.value = "checkin";
    },

    async checkIn(rawName: string) {
      const name = rawName.trim();
      const problem = displayNameProblem(name);
      if (problem) return void (checkInError.value = problem);
      busy.value = true;
      checkInError.value = null;
      const res = await api<Me>(`/api/rooms/${room}/check-in`, { method: "POST", body: JSON.stringify({ name }) });
      busy.value = false;
      if (res.ok) start(res.data);
      else checkInError.value = res.error;
    },

    send(text: string) {
      const c = conv.value;
      if (c) client.write(c.id, text);
    },

    typing() {
      const c = conv.value;
      if (c) client.typing(c.id);
    },

    /** Everyone but a host may leave a session, after confirming. */
    leaveSession() {
      const c = conv.value;
      if (!c) return;
      confirm.value = {
        title: "Leave this session?",
        body: me.value?.role === "guest" ? "You cannot come back into it with the same link or code." : "Your place and this conversation end for you, and for any guests in the session.",
        confirmLabel: "Leave session",
        onConfirm: () => {
          client.send({ type: "leave_session", c: c.id });
          leftSession.value = true;
          out("left");
        },
      };
    },

    /** Offers files in the chat (picked with "Attach file" or dropped on it). */
    attachFiles(files: File[]) {
      const c = conv.value;
      if (c) sharing.attach(c, files);
    },
    fileActions: sharing.actions,

    async leave() {
      conn?.send({ type: "leave" });
      conn?.close();
      conn = null;
      await api(`/api/rooms/${room}/me`, { method: "DELETE" });
      batch(() => {
        phase.value = "left";
        forget();
      });
    },

    checkInAgain() {
      batch(() => {
        phase.value = "checkin";
        forget();
      });
    },
  };
}
export type PatientModel = ReturnType<typeof createPatientModel>;
