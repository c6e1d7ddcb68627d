import { signal, type Signal } from "@preact/signals";
import { CLOSE, type ClientMessage, type ServerMessage } from "../../worker/protocol";

export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "closed";

export interface ConnectionOptions {
  url: string;
  /** What to tell the room on (re)connect; resume state lives in page memory only. */
  hello(): Extract<ClientMessage, { type: "hello" }>;
  onMessage(msg: ServerMessage): void;
  /** The room closed the socket for good (left, version, not allowed). */
  onFinal?(code: number): void;
}

export interface Connection {
  status: Signal<ConnectionStatus>;
  /** False when the socket is not open; the caller keeps the message pending. */
  send(msg: ClientMessage): boolean;
  close(): void;
}

const FINAL = new Set<number>([CLOSE.policy, CLOSE.tooBig, CLOSE.left, CLOSE.version]);

/** A WebSocket to a room that reconnects by itself with jittered exponential backoff. */
export function connect(options: ConnectionOptions): Connection {
  const status = signal<ConnectionStatus>("connecting");
  let ws: WebSocket | null = null;
  let attempts = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    const socket = new WebSocket(new URL(options.url, location.href).href.replace(/^http/, "ws"));
    ws = socket;
    socket.onopen = () => socket.send(JSON.stringify(options.hello()));
    socket.onmessage = (event) => {
      const msg = JSON.parse(event.data as string) as ServerMessage;
      if (msg.type === "welcome") {
        attempts = 0;
        status.value = "open";
      }
      options.onMessage(msg);
    };
    socket.onclose = (event) => {
      if (ws !== socket) return;
      ws = null;
      if (stopped) return;
      if (FINAL.has(event.code)) {
        stopped = true;
        status.value = "closed";
        options.onFinal?.(event.code);
        return;
      }
      status.value = "reconnecting";
      const delay = Math.min(15000, 500 * 2 ** attempts++) * (0.5 + Math.random() / 2);
      timer = setTimeout(open, delay);
    };
  };

  const online = () => {
    if (status.value === "reconnecting" && !ws) {
      clearTimeout(timer);
      open();
    }
  };
  addEventListener("online", online);
  open();

  return {
    status,
    send(msg) {
      if (!ws || ws.readyState !== WebSocket.OPEN || status.value !== "open") return false;
      ws.send(JSON.stringify(msg));
      return true;
    },
    close() {
      stopped = true;
      clearTimeout(timer);
      removeEventListener("online", online);
      ws?.close(1000, "bye");
      ws = null;
      status.value = "closed";
    },
  };
}

