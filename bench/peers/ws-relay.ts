/**
 * The floor: the bare relay (bench/peers/relay.ts) on `ws`, in its own Node
 * process, with no Origin check either.
 *   PORT=9000 node bench/peers/ws-relay.ts
 */
import { createServer } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { servePage } from "./page.ts";
import { RelayRoom } from "./relay.ts";

const rooms = new Map<string, RelayRoom<WebSocket>>();
const http = createServer((req, res) => {
  if (!servePage(req, res)) res.writeHead(404).end();
});
const wss = new WebSocketServer({ server: http, path: "/ws" });

wss.on("connection", (ws, req) => {
  const query = new URL(req.url ?? "/", "http://x").searchParams;
  const name = query.get("room") ?? "";
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new RelayRoom(name)));
  const member = room.join(ws, query.get("role") === "provider" ? "provider" : "patient", query.get("name") ?? "");
  ws.on("message", (data) => member.receive(String(data)));
  ws.on("close", member.left);
});

http.listen(Number(process.env.PORT ?? 9000), "127.0.0.1", () => process.stdout.write("listening\n"));
process.on("SIGTERM", () => process.exit(0));
