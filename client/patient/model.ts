import { batch, computed, signal } from "@preact/signals";
import { displayNameProblem } from "../../protocol/name-rules";
import { CLOSE, PROTOCOL_VERSION, type ChatMessage, type ServerMessage, type SessionInfo } from "../../worker/protocol";
import { connect, type Connection } from "../lib/connection";
import { api } from "../lib/http";
import { newClientId } from "../lib/ids";
import { Epoch, interleave, merge, seedFrames } from "../lib/replica";
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
  /** This page's copy of the conversation, in sequence order. */
  const messages = signal<ChatMessage[]>([]);
  /** Notices from the room, each placed after the message it followed. */
  const notices = signal<{ key: string; text: string; afterSeq: number }[]>([]);
  const pending = signal<Pending[]>([]);
  let conn: Connection | null = null;
  /** This page load; the room tells a lost first socket from a reload by it. */
  const page = newClientId();
  const epoch = new Epoch();
  let erasedUpto = 0;
  const cursor = () => messages.value.at(-1)?.seq ?? 0;

  const lines = computed<LogLine[]>(() => [
    ...interleave(messages.value, notices.value).map((item): LogLine =>
      item.kind === "event"
        ? item.event
        : { key: `m${item.msg.seq}`, from: { name: item.msg.name, self: item.msg.from === "patient" }, text: item.msg.text, time: item.msg.time },
    ),
    ...pending.value.map((p) => ({ key: p.cid, from: { name: me.value?.name ?? "", self: true }, text: p.text, pending: !p.failed, failed: p.failed })),
  ]);
  const status = computed(() => conn?.status.value ?? "connecting");

  const notice = (text: string) => {
    notices.value = [...notices.value, { key: `n${Date.now()}${Math.random()}`, text, afterSeq: cursor() }];
  };
  const settle = (cid: string) => {
    if (pending.value.some((p) => p.cid === cid)) pending.value = pending.value.filter((p) => p.cid !== cid);
  };

  function onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case "welcome": {
        // A new epoch means the room's memory was reset: hand it back our copy.
        const { reset, handBack } = epoch.welcome(msg.epoch);
        providerOnline.value = msg.providerOnline;
        // After a reset the room learns of a session from the provider's copy.
        if (msg.session || !reset) session.value = msg.session ?? null;
        syncClock(msg.now);
        if (handBack) {
          for (const frame of seedFrames(msg.self.id, messages.value)) conn?.send(frame);
          conn?.send({ type: "ping" });
        }
        for (const p of pending.value) if (!p.failed) conn?.send({ type: "send", cid: p.cid, text: p.text });
        return;
      }
      case "pong":
        return epoch.pong();
      case "ack":
        return settle(msg.cid);
      case "resync":
        messages.value = [];
        return;
      case "msg":
        return received(msg);
      case "erased":
        erasedUpto = Math.max(erasedUpto, msg.upto);
        if (messages.value.some((m) => m.seq <= msg.upto)) {
          messages.value = messages.value.filter((m) => m.seq > msg.upto);
          notice("The provider cleared this chat. Earlier messages were erased.");
        }
        return;
      case "provider":
        providerOnline.value = msg.online;
        return;
      case "session_started":
        if (session.value?.id === msg.session.id) return;
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
    batch(() => {
      if (msg.from === "patient") settle(msg.cid);
      const next = msg.seq > erasedUpto ? merge(messages.value, msg) : null;
      if (next) messages.value = next;
    });
  }

  /** The session ended: its messages are gone for everyone, and so is our place. */
  function ended(): void {
    conn?.close();
    conn = null;
    batch(() => {
      phase.value = "ended";
      forget();
    });
    void api(`/api/rooms/${room}/me`, { method: "DELETE" });
  }

  /** Drops this page's copy of the conversation. */
  function forget(): void {
    messages.value = [];
    notices.value = [];
    pending.value = [];
    epoch.forget();
    erasedUpto = 0;
  }

  function start(who: Me): void {
    batch(() => {
      me.value = who;
      phase.value = "waiting";
    });
    conn = connect({
      url: `/api/rooms/${room}/ws`,
      hello: () => ({ type: "hello", v: PROTOCOL_VERSION, page, ...(epoch.current ? { resume: { epoch: epoch.current, cursors: { [who.id]: cursor() } } } : {}) }),
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
        forget();
      });
    },

    checkInAgain() {
      batch(() => {
        phase.value = "checkin";
        forget();
      });
    },

    dispose() {
      conn?.close();
    },
  };
}
export type PatientModel = ReturnType<typeof createPatientModel>;
