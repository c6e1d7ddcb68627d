import WebSocket from "ws";
import type { Role, Tracker } from "../tracker.ts";
import type { Conn } from "./types.ts";

const OPEN_TIMEOUT_MS = 20_000;

/**
 * How a target's JSON frames look: queue-chat's protocol, or the ws relay's
 * older and simpler shape. Both say hello and wait for a welcome, and both
 * send a message to everyone as `{type:"broadcast", cid, text}`.
 */
export interface Dialect {
  hello: object;
  /** How the load generator addresses a patient, from the patient's welcome. */
  patientAddress(welcome: Welcome): string;
  /** A patient's message to staff; `self` is the patient's own address. */
  toStaff(self: string, cid: string, text: string): object;
  /** A staff message to one patient. */
  toPatient(patient: string, cid: string, text: string): object;
}

export interface Welcome {
  type: "welcome";
  self?: { id: string };
  /** queue-chat: the patient's conversation. */
  c?: string;
}

/**
 * Opens a `ws` client socket that speaks a JSON chat protocol (ours and the
 * ws relay): hello, wait for welcome, then report every message (`msg`, or
 * a staff page's one-frame `broadcast`) to the tracker. The client offers no
 * permessage-deflate, so no server compresses.
 */
export function openJsonSocket(url: string, headers: Record<string, string>, role: Role, tracker: Tracker, dialect: Dialect): Promise<Conn> {
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
    ws.on("open", () => ws.send(JSON.stringify(dialect.hello)));
    ws.on("message", (data) => {
      const at = performance.now();
      const msg = JSON.parse(String(data)) as { type: string; cid?: string; code?: string };
      // Answer the room's heartbeat at once, as a page does, or it counts the socket as dead.
      if (msg.type === "ping") return ws.send('{"type":"pong"}');
      if (msg.type === "msg" || msg.type === "broadcast") return tracker.received(role, msg.cid!, at);
      if (msg.type === "error") return tracker.error(msg.code ?? "unknown");
      if (msg.type === "welcome" && !welcomed) {
        welcomed = true;
        clearTimeout(timer);
        resolve(jsonConn(ws, dialect, role === "patient" ? dialect.patientAddress(msg as Welcome) : ""));
      }
    });
  });
}

function jsonConn(ws: WebSocket, dialect: Dialect, id: string): Conn {
  const send = (frame: object) => ws.send(JSON.stringify(frame));
  return {
    id,
    sendToProvider: (cid, text) => send(dialect.toStaff(id, cid, text)),
    sendToPatient: (to, cid, text) => send(dialect.toPatient(to, cid, text)),
    broadcast: (cid, text) => send({ type: "broadcast", cid, text }),
    close: () => ws.terminate(),
  };
}
