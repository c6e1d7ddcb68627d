import { signal, type Signal } from "@preact/signals-core";
import { FINAL_CLOSE, HEARTBEAT, PING_FRAME, PONG_FRAME } from "../../protocol/constants";
import type { ClientMessage, ServerMessage } from "../../protocol/wire";

export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "closed";

export interface ConnectionOptions {
  url: string;
  /** What to tell the room on (re)connect; resume state lives in page memory only. */
  hello(): Extract<ClientMessage, { type: "hello" }>;
  onMessage(msg: ServerMessage): void;
  /** The room closed the socket for good (left, version, not allowed). */
  onFinal?(code: number): void;
  /**
   * Several attempts in a row failed before any welcome: the page may have
   * lost its sign-in (a refused upgrade shows up as a plain failure).
   */
  onFailing?(): void;
}

export interface Connection {
  status: Signal<ConnectionStatus>;
  /** False when the socket is not open; the caller keeps the message pending. */
  send(msg: ClientMessage): boolean;
  close(): void;
}

/** Failed attempts in a row after which the page checks its sign-in. */
const FAILING_AFTER = 3;

/**
 * A WebSocket to a room that reconnects by itself with jittered exponential
 * backoff. It answers the room's heartbeat pings at once and gives up on a
 * socket that has been silent for 25 s, so a dead network is noticed even
 * when no close event comes.
 */
export function connect(options: ConnectionOptions): Connection {
  const status = signal<ConnectionStatus>("connecting");
  let ws: WebSocket | null = null;
  let attempts = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let lastHeard = 0;

  const retry = () => {
    status.value = "reconnecting";
    if (attempts + 1 >= FAILING_AFTER) options.onFailing?.();
    const delay = Math.min(15000, 500 * 2 ** attempts++) * (0.5 + Math.random() / 2);
    timer = setTimeout(open, delay);
  };

  /** Stops listening to a socket; its late events change nothing. */
  const abandon = (socket: WebSocket) => {
    clearInterval(heartbeat);
    socket.onopen = socket.onmessage = socket.onclose = null;
    if (ws === socket) ws = null;
    try {
      socket.close(1000, "bye");
    } catch {
      // Already closing.
    }
  };

  const open = () => {
    const socket = new WebSocket(new URL(options.url, location.href).href.replace(/^http/, "ws"));
    ws = socket;
    lastHeard = Date.now();
    clearInterval(heartbeat);
    heartbeat = setInterval(() => {
      if (Date.now() - lastHeard > HEARTBEAT.deadAfterMs) {
        abandon(socket);
        retry();
      }
    }, HEARTBEAT.intervalMs);
    socket.onopen = () => socket.send(JSON.stringify(options.hello()));
    socket.onmessage = (event) => {
      lastHeard = Date.now();
      // The room compares the pong's text; it never parses it.
      if (event.data === PING_FRAME) return socket.send(PONG_FRAME);
      const msg = JSON.parse(event.data as string) as ServerMessage;
      if (msg.type === "welcome") {
        attempts = 0;
        status.value = "open";
      }
      options.onMessage(msg);
    };
    socket.onclose = (event) => {
      if (ws !== socket) return;
      abandon(socket);
      if (stopped) return;
      if (FINAL_CLOSE.has(event.code)) {
        stopped = true;
        status.value = "closed";
        options.onFinal?.(event.code);
        return;
      }
      retry();
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
      if (ws) abandon(ws);
      status.value = "closed";
    },
  };
}

