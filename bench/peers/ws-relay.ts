/**
 * The floor: a do-nothing relay on `ws`, the same shape as a queue-chat room
 * (one provider, many patients; patient → provider, provider → one patient by
 * id, broadcast to everyone waiting) and the same JSON frames, with nothing
 * else: no sessions, no Origin check, no validation, no rate limit.
 *   PORT=9000 node bench/peers/ws-relay.ts
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { servePage } from "./page.ts";

interface Room {
  providers: Set<WebSocket>;
  patients: Map<string, WebSocket>;
  seq: number;
}

const rooms = new Map<string, Room>();
const http = createServer((req, res) => {
  if (!servePage(req, res)) res.writeHead(404).end();
});
const wss = new WebSocketServer({ server: http, path: "/ws" });

wss.on("connection", (ws, req) => {
  const query = new URL(req.url ?? "/", "http://x").searchParams;
  const roomName = query.get("room") ?? "";
  const role = query.get("role") === "provider" ? "provider" : "patient";
  const name = query.get("name") ?? "";
  // 22 characters, like queue-chat's patient ids, so frames are the same size.
  const id = role === "patient" ? randomBytes(16).toString("base64url") : "provider";
  let room = rooms.get(roomName);
  if (!room) rooms.set(roomName, (room = { providers: new Set(), patients: new Map(), seq: 0 }));
  const r = room;
  let ready = false;

  ws.on("message", (data) => {
    const m = JSON.parse(String(data)) as { type: string; cid?: string; text?: string; to?: string };
    if (!ready) {
      if (m.type !== "hello") return;
      ready = true;
      if (role === "provider") r.providers.add(ws);
      else r.patients.set(id, ws);
      const self = { id, name };
      ws.send(JSON.stringify({ type: "welcome", v: 1, room: roomName, role, self, now: Date.now(), providerOnline: r.providers.size > 0 }));
      return;
    }
    const msg = (patient: string) => ({ type: "msg", patient, seq: ++r.seq, cid: m.cid, from: role, name, text: m.text, time: Date.now() });
    if (m.type === "send") {
      const patientId = role === "patient" ? id : (m.to ?? "");
      const to = r.patients.get(patientId);
      if (!to) return;
      const frame = JSON.stringify(msg(patientId));
      to.send(frame);
      for (const p of r.providers) p.send(frame);
    } else if (m.type === "broadcast" && role === "provider") {
      const frame = JSON.stringify({ ...msg("*"), broadcast: true });
      for (const p of r.patients.values()) p.send(frame);
      for (const p of r.providers) p.send(frame);
    }
  });
  ws.on("close", () => {
    r.providers.delete(ws);
    if (r.patients.get(id) === ws) r.patients.delete(id);
  });
});

http.listen(Number(process.env.PORT ?? 9000), "127.0.0.1", () => process.stdout.write("listening\n"));
process.on("SIGTERM", () => process.exit(0));
