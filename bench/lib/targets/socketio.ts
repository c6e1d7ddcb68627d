import { fileURLToPath } from "node:url";
import { io } from "socket.io-client";
import { freePort, startNodeChild } from "../proc.ts";
import type { Role, Tracker } from "../tracker.ts";
import type { Conn, Target } from "./types.ts";

const SCRIPT = fileURLToPath(new URL("../../peers/socketio-chat.ts", import.meta.url));
const OPEN_TIMEOUT_MS = 20_000;

/**
 * What a developer would pick instead: bench/peers/socketio-chat.ts, driven
 * with socket.io-client over the WebSocket transport only (no long-polling).
 */
export async function startSocketIo(tracker: Tracker): Promise<Target> {
  const port = await freePort();
  const child = await startNodeChild(SCRIPT, port);
  const url = `http://127.0.0.1:${port}`;

  function connect(room: string, role: Role, name: string): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const socket = io(url, {
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
        timeout: OPEN_TIMEOUT_MS,
        query: { room, role, name },
        extraHeaders: { origin: url },
      });
      socket.on("connect_error", (err) => {
        socket.close();
        reject(err);
      });
      socket.on("msg", (msg: { cid: string }) => tracker.received(role, msg.cid, performance.now()));
      socket.once("welcome", (welcome: { self: { id: string } }) =>
        resolve({
          id: role === "patient" ? welcome.self.id : "",
          sendToProvider: (cid, text) => socket.emit("send", { cid, text }),
          sendToPatient: (to, cid, text) => socket.emit("send", { to, cid, text }),
          broadcast: (cid, text) => socket.emit("broadcast", { cid, text }),
          close: () => socket.close(),
        }),
      );
    });
  }

  return {
    name: "socket.io",
    pages: true,
    pid: child.pid,
    url,
    broadcastEchoes: () => 1,
    provider: (room) => connect(room, "provider", "Dr. Bench"),
    patient: (room, name) => connect(room, "patient", name),
    stop: child.stop,
  };
}
