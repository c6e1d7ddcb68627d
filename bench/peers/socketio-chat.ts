/**
 * What a developer would pick instead: a Socket.IO chat of the same shape as
 * a queue-chat room (one provider, many patients; patient → provider,
 * provider → one patient by id, broadcast to everyone waiting), written the
 * way its documentation suggests: rooms and `io.to(...).emit(...)`.
 * WebSocket transport only.
 *   PORT=9001 node bench/peers/socketio-chat.ts
 */
import { createServer } from "node:http";
import { Server } from "socket.io";
import { servePage } from "./page.ts";

const http = createServer((req, res) => {
  if (!servePage(req, res, ["/socket.io/socket.io.min.js"])) res.writeHead(404).end();
});
const io = new Server(http, { transports: ["websocket"], serveClient: true });
const seqs = new Map<string, number>();

io.on("connection", (socket) => {
  const query = socket.handshake.query as Record<string, string>;
  const room = query.room ?? "";
  const role = query.role === "provider" ? "provider" : "patient";
  const name = query.name ?? "";
  const id = role === "patient" ? socket.id : "provider";
  const providers = `${room}/providers`;
  const patients = `${room}/patients`;
  void socket.join(role === "provider" ? providers : patients);
  const msg = (patient: string, cid: string, text: string) => {
    const seq = (seqs.get(room) ?? 0) + 1;
    seqs.set(room, seq);
    return { type: "msg", patient, seq, cid, from: role, name, text, time: Date.now() };
  };
  socket.emit("welcome", { type: "welcome", v: 1, room, role, self: { id, name }, now: Date.now(), providerOnline: (io.sockets.adapter.rooms.get(providers)?.size ?? 0) > 0 });

  socket.on("send", (m: { cid: string; text: string; to?: string }) => {
    // A socket's id is also a room holding just that socket.
    const patientId = role === "patient" ? id : (m.to ?? "");
    if (!io.sockets.sockets.has(patientId)) return;
    io.to(patientId).to(providers).emit("msg", msg(patientId, m.cid, m.text));
  });
  socket.on("broadcast", (m: { cid: string; text: string }) => {
    if (role !== "provider") return;
    io.to(patients).to(providers).emit("msg", { ...msg("*", m.cid, m.text), broadcast: true });
  });
});

http.listen(Number(process.env.PORT ?? 9001), "127.0.0.1", () => process.stdout.write("listening\n"));
process.on("SIGTERM", () => process.exit(0));
