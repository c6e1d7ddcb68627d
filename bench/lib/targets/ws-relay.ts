import { fileURLToPath } from "node:url";
import { freePort, startNodeChild } from "../proc.ts";
import type { Tracker } from "../tracker.ts";
import { openJsonSocket, type Dialect } from "./json-socket.ts";
import type { Target } from "./types.ts";

const SCRIPT = fileURLToPath(new URL("../../peers/ws-relay.ts", import.meta.url));

/** The relay's frames: a patient writes to staff, staff write to a patient by id (`to`). */
export const RELAY: Dialect = {
  hello: { type: "hello", v: 1 },
  patientAddress: (welcome) => welcome.self?.id ?? "",
  toStaff: (_self, cid, text) => ({ type: "send", cid, text }),
  toPatient: (patient, cid, text) => ({ type: "send", to: patient, cid, text }),
};

/** The floor: bench/peers/ws-relay.ts, a bare `ws` relay in its own Node process. */
export async function startWsRelay(tracker: Tracker): Promise<Target> {
  const port = await freePort();
  const child = await startNodeChild(SCRIPT, port);
  const url = `http://127.0.0.1:${port}`;
  const socket = (room: string, role: "provider" | "patient", name: string) =>
    openJsonSocket(
      `ws://127.0.0.1:${port}/ws?${new URLSearchParams({ room, role, name })}`,
      { origin: url },
      role,
      tracker,
      RELAY,
    );
  return {
    name: "ws",
    pages: true,
    pid: child.pid,
    url,
    broadcastEchoes: () => 1,
    provider: (room) => socket(room, "provider", "Dr. Bench"),
    patient: (room, name) => socket(room, "patient", name),
    stop: child.stop,
  };
}
