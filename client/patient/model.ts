import { batch, computed, signal } from "@preact/signals-core";
import { displayNameProblem } from "../../protocol/name-rules";
import { CLOSE } from "../../protocol/constants";
import { connect, type Connection } from "../lib/connection";
import { api } from "../lib/http";
import { syncClock } from "../lib/time";
import type { Conversation } from "../room/conversation";
import { RoomClient, type RoomEvent } from "../room/room-client";
import type { LogLine } from "../ui/ChatLog";

type Phase = "loading" | "checkin" | "waiting" | "left" | "ended" | "full";
interface Me {
  id: string;
  /** Their conversation. */
  c: string;
  name: string;
  checkedInAt: number;
}

/**
 * The patient's page: check-in, waiting, and the chat with the clinic's
 * staff. Everything lives in page memory; a reload starts the conversation
 * empty (the room enforces it too).
 */
export function createPatientModel(room: string) {
  const phase = signal<Phase>("loading");
  const me = signal<Me | null>(null);
  const checkInError = signal<string | null>(null);
  const busy = signal(false);
  let conn: Connection | null = null;
  let client = newClient();
  const current = signal<RoomClient>(client);

  function newClient(): RoomClient {
    const c = new RoomClient({ send: (msg) => conn?.send(msg) ?? false });
    c.on(onEvent);
    return c;
  }

  const conv = computed<Conversation | null>(() => current.value.mine.value);
  const staffOnline = computed(() => current.value.staffOnline.value);
  const session = computed(() => conv.value?.session.value ?? null);
  const lines = computed<LogLine[]>(() => {
    const c = conv.value;
    if (!c) return [];
    const self = current.value.self.value?.id;
    return [
      ...c.timeline().map((item): LogLine =>
        item.kind === "event"
          ? { key: `n${item.event.time}${item.event.text}`, text: item.event.text, time: item.event.time }
          : { key: `m${item.msg.seq}`, from: { name: item.msg.name, self: item.msg.by === self }, text: item.msg.text, time: item.msg.time },
      ),
      ...c.pending.value.map((p) => ({ key: p.cid, from: { name: me.value?.name ?? "", self: true }, text: p.text, pending: !p.failed, failed: p.failed })),
    ];
  });
  const status = computed(() => conn?.status.value ?? "connecting");

  const notice = (text: string) => conv.value?.event(Date.now(), text);

  function onEvent(event: RoomEvent): void {
    switch (event.type) {
      case "welcome":
        return syncClock(event.now);
      case "erased":
        return notice("The provider cleared this chat. Earlier messages were erased.");
      case "session_started":
        return notice("Your provider started a text-only session. You can keep writing here.");
      case "session_ended":
        return ended();
      case "downloaded":
        return notice("The provider saved a copy of this chat.");
      case "notice":
        return notice(event.text);
      default:
        return;
    }
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
      url: `/api/rooms/${room}/ws`,
      hello: () => c.hello(),
      onMessage: (msg) => c.receive(msg),
      onFinal: (code) => {
        if (code === CLOSE.ended) return ended();
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
    me,
    checkInError,
    busy,
    staffOnline,
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
      const c = conv.value;
      if (c) client.write(c.id, text);
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
