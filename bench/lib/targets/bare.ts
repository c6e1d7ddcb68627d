import { startServer } from "../../../test/harness/server.ts";
import { freePort, workerdPid } from "../proc.ts";
import type { Tracker } from "../tracker.ts";
import { openJsonSocket } from "./json-socket.ts";
import type { Target } from "./types.ts";
import { RELAY } from "./ws-relay.ts";

/**
 * The platform floor: bench/peers/bare-room.ts, a bare Durable Object relay,
 * behind queue-chat's own Worker in the same harness (Miniflare, workerd,
 * the asset router), speaking the ws relay's frames. What it costs is the
 * runtime's share of every figure; what ours costs beyond it is ours.
 */
export async function startBare(tracker: Tracker): Promise<Target> {
  const port = await freePort();
  const server = await startServer({ port, bare: true, vars: { SESSION_SECRET: "bench-secret-not-for-production" } });
  const { url } = server;
  const socket = (room: string, role: "provider" | "patient", name: string) =>
    openJsonSocket(
      `${url.replace(/^http/, "ws")}/api/bench-bare/${room}/ws?${new URLSearchParams({ room, role, name })}`,
      { origin: url },
      role,
      tracker,
      RELAY,
    );
  return {
    name: "bare DO",
    pages: false,
    pid: workerdPid(),
    url,
    broadcastEchoes: () => 1,
    provider: (room) => socket(room, "provider", "Dr. Bench"),
    patient: (room, name) => socket(room, "patient", name),
    stop: () => server.stop(),
  };
}
