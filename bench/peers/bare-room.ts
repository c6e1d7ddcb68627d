/**
 * The platform floor: the bare relay (bench/peers/relay.ts) in a Durable
 * Object. The benchmark's harness runs it as a second worker script in the
 * same workerd and binds its class into queue-chat's worker (`BENCH_BARE`),
 * which forwards `/api/bench-bare/<room>/ws` to it: so its sockets pass
 * through the same runtime, entry, asset router and Worker as ours, and it
 * accepts them as ours does (no hibernation). It is never deployed.
 */
import { RelayRoom } from "./relay.ts";

/** The little of the Workers runtime this file uses (bench/ is typed for Node). */
interface WorkerSocket {
  accept(): void;
  send(data: string): void;
  close(code: number, reason: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number }) => void): void;
}
declare const WebSocketPair: { new (): Record<0 | 1, WorkerSocket> };

export class BareRoom {
  private room?: RelayRoom<WorkerSocket>;

  fetch(request: Request): Response {
    const query = new URL(request.url).searchParams;
    this.room ??= new RelayRoom(query.get("room") ?? "");
    const pair = new WebSocketPair();
    const ws = pair[1];
    ws.accept();
    const member = this.room.join(ws, query.get("role") === "provider" ? "provider" : "patient", query.get("name") ?? "");
    ws.addEventListener("message", (event) => member.receive(String(event.data)));
    ws.addEventListener("close", (event) => {
      member.left();
      // Answers the client's close, as queue-chat's room does.
      try {
        ws.close(event.code === 1005 ? 1000 : event.code, "closing");
      } catch {
        // already closed
      }
    });
    return new Response(null, { status: 101, webSocket: pair[0] } as ResponseInit);
  }
}

export default { fetch: () => new Response("Not found", { status: 404 }) };
