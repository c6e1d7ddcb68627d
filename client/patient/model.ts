import { batch, computed, signal } from "@preact/signals";
import { CLOSE, LIMITS, PROTOCOL_VERSION, type ChatMessage, type ServerMessage, type SessionInfo } from "../../worker/protocol";
import { connect, type Connection } from "../lib/connection";
import { api } from "../lib/http";
import { newClientId } from "../lib/ids";
import { syncClock } from "../lib/time";
import type { LogLine } from "../ui/ChatLog";

type Phase = "loading" | "checkin" | "waiting" | "left" | "ended" | "full";
interface Me {
  id: string;
  name: string;
  checkedInAt: number;
}
interface Pending {
  cid: string;
  text: string;
  failed?: string;
}

/**
 * The patient's page: check-in, waiting, and the chat with the provider.
 * Everything lives in page memory; a reload starts the conversation empty.
 */
export function createPatientModel(room: string) {
  const phase = signal<Phase>("loading");
  const me = signal<Me | null>(null);
  const checkInError = signal<string | null>(null);
  const busy = signal(false);
  const providerOnline = signal(false);
  const session = signal<SessionInfo | null>(null);
  const entries = signal<(LogLine & { seq?: number })[]>([]);
  const pending = signal<Pending[]>([]);
  let conn: Connection | null = null;
  let epoch: string | undefined;
  let cursor = 0;

  const lines = computed<LogLine[]>(() => [
    ...entries.value,
    ...pending.value.map((p) => ({ key: p.cid, from: { name: me.value?.name ?? "", self: true }, text: p.text, pending: !p.failed, failed: p.failed })),
  ]);
  const status = computed(() => conn?.status.value ?? "connecting");

  const notice = (text: string) => {
    entries.value = [...entries.value, { key: `n${Date.now()}${Math.random()}`, text }];
  };

  function onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case "welcome":
        epoch = msg.epoch;
        providerOnline.value = msg.providerOnline;
        session.value = msg.session ?? null;
        syncClock(msg.now);
        for (const p of pending.value) if (!p.failed) conn?.send({ type: "send", cid: p.cid, text: p.text });
        return;
      case "msg":
        return received(msg);
      case "erased":
        if (entries.value.some((e) => e.seq !== undefined && e.seq <= msg.upto)) {
          entries.value = entries.value.filter((e) => e.seq === undefined || e.seq > msg.upto);
          notice("The provider cleared this chat. Earlier messages were erased.");
        }
        return;
      case "provider":
        providerOnline.value = msg.online;
        return;
      case "session_started":
        session.value = msg.session;
        notice("Your provider started a text-only session. You can keep writing here.");
        return;
      case "session_ended":
        return ended();
      case "downloaded":
        notice("The provider saved a copy of this chat.");
        return;
      case "error":
        if (msg.cid) pending.value = pending.value.map((p) => (p.cid === msg.cid ? { ...p, failed: msg.message } : p));
        else notice(msg.message);
        return;
    }
  }

  function received(msg: ChatMessage): void {
    if (msg.seq <= cursor) return;
    cursor = msg.seq;
    batch(() => {
      pending.value = pending.value.filter((p) => p.cid !== msg.cid || msg.from !== "patient");
      entries.value = [
        ...entries.value,
        { key: `m${msg.seq}`, seq: msg.seq, from: { name: msg.name, self: msg.from === "patient" }, text: msg.text, time: msg.time },
      ];
    });
  }

  /** The session ended: its messages are gone for everyone, and so is our place. */
  function ended(): void {
    conn?.close();
    conn = null;
    batch(() => {
      phase.value = "ended";
      entries.value = [];
      pending.value = [];
    });
    void api(`/api/rooms/${room}/me`, { method: "DELETE" });
  }

  function start(who: Me): void {
    batch(() => {
      me.value = who;
      phase.value = "waiting";
    });
    conn = connect({
      url: `/api/rooms/${room}/ws`,
      hello: () => ({ type: "hello", v: PROTOCOL_VERSION, ...(epoch ? { resume: { epoch, cursors: { [who.id]: cursor } } } : {}) }),
      onMessage,
      onFinal: (code) => {
        if (code === CLOSE.ended) return ended();
        phase.value = code === CLOSE.left ? "left" : "full";
      },
    });
  }

  return {
    phase,
    me,
    checkInError,
    busy,
    providerOnline,
    session,
    lines,
    status,

    async init() {
      const res = await api<Me>(`/api/rooms/${room}/me`);
      if (res.ok) start(res.data);
      else phase.value = "checkin";
    },

    async checkIn(rawName: string) {
      const name = rawName.trim();
      if (name.length < LIMITS.nameMin || name.length > LIMITS.nameMax) {
        checkInError.value = `Please enter your name (${LIMITS.nameMin} to ${LIMITS.nameMax} characters).`;
        return;
      }
      busy.value = true;
      checkInError.value = null;
      const res = await api<Me>(`/api/rooms/${room}/check-in`, { method: "POST", body: JSON.stringify({ name }) });
      busy.value = false;
      if (res.ok) start(res.data);
      else checkInError.value = res.error;
    },

    send(text: string) {
      const cid = newClientId();
      pending.value = [...pending.value, { cid, text }];
      conn?.send({ type: "send", cid, text });
    },

    async leave() {
      conn?.send({ type: "leave" });
      conn?.close();
      conn = null;
      await api(`/api/rooms/${room}/me`, { method: "DELETE" });
      batch(() => {
        phase.value = "left";
        entries.value = [];
        pending.value = [];
      });
    },

    checkInAgain() {
      batch(() => {
        phase.value = "checkin";
        entries.value = [];
        cursor = 0;
        epoch = undefined;
      });
    },

    dispose() {
      conn?.close();
    },
  };
}
export type PatientModel = ReturnType<typeof createPatientModel>;
