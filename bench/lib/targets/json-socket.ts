import WebSocket from "ws";
import type { Role, Tracker } from "../tracker.ts";
import type { Conn } from "./types.ts";

const OPEN_TIMEOUT_MS = 20_000;

/**
 * Opens a `ws` client socket that speaks queue-chat's JSON protocol (ours and
 * the ws relay): hello, wait for welcome, then report every `msg` to the
 * tracker. The client offers no permessage-deflate, so no server compresses.
 */
export function openJsonSocket(
  url: string,
  headers: Record<string, string>,
  role: Role,
  tracker: Tracker,
  patientId?: string,
): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false, handshakeTimeout: OPEN_TIMEOUT_MS });
    const timer = setTimeout(() => fail(new Error(`no welcome within ${OPEN_TIMEOUT_MS} ms from ${url}`)), OPEN_TIMEOUT_MS);
    let welcomed = false;
    function fail(err: Error) {
      clearTimeout(timer);
      ws.terminate();
      reject(err);
    }
    ws.on("error", (err) => {
      if (!welcomed) fail(err);
    });
    ws.on("close", (code) => {
      if (!welcomed) fail(new Error(`socket closed (${code}) before welcome`));
    });
    ws.on("open", () => ws.send(JSON.stringify({ type: "hello", v: 1 })));
    ws.on("message", (data) => {
      const at = performance.now();
      const msg = JSON.parse(String(data)) as { type: string; cid?: string; code?: string; self?: { id: string } };
      // Answer the room's heartbeat at once, as a page does, or it counts the socket as dead.
      if (msg.type === "ping") return ws.send('{"type":"pong"}');
      if (msg.type === "msg") return tracker.received(role, msg.cid!, at);
      if (msg.type === "error") return tracker.error(msg.code ?? "unknown");
      if (msg.type === "welcome" && !welcomed) {
        welcomed = true;
        clearTimeout(timer);
        resolve(jsonConn(ws, patientId ?? (role === "patient" ? msg.self!.id : "")));
      }
    });
  });
}

function jsonConn(ws: WebSocket, id: string): Conn {
  const send = (frame: object) => ws.send(JSON.stringify(frame));
  return {
    id,
    sendToProvider: (cid, text) => send({ type: "send", cid, text }),
    sendToPatient: (to, cid, text) => send({ type: "send", to, cid, text }),
    broadcast: (cid, text) => send({ type: "broadcast", cid, text }),
    close: () => ws.terminate(),
  };
}
