import { PROTOCOL_VERSION } from "../../../protocol/wire.ts";
import { startServer } from "../../../test/harness/server.ts";
import { signStaffLink } from "../../../worker/tokens.ts";
import { freePort, workerdPid } from "../proc.ts";
import type { Tracker } from "../tracker.ts";
import { openJsonSocket, type Dialect } from "./json-socket.ts";
import type { Target } from "./types.ts";

const SECRET = "bench-secret-not-for-production";

/** queue-chat's protocol: every message names its conversation; a patient is addressed by theirs. */
const OURS: Dialect = {
  hello: { type: "hello", v: PROTOCOL_VERSION },
  patientAddress: (welcome) => welcome.c ?? "",
  toStaff: (self, cid, text) => ({ type: "send", c: self, cid, text }),
  toPatient: (patient, cid, text) => ({ type: "send", c: patient, cid, text }),
};

/**
 * queue-chat itself: the built worker (dist/) in workerd through Miniflare,
 * reached the way a browser reaches it: check-in, or a host's sign-in with a
 * staff link, over HTTP for a session cookie, then the room's WebSocket with
 * that cookie and the page's Origin.
 */
export async function startOurs(tracker: Tracker): Promise<Target> {
  const port = await freePort();
  const server = await startServer({
    port,
    // Every simulated patient comes from this machine's one address: lift the
    // per-address check-in limit, which real patients on their own networks never share.
    vars: { SESSION_SECRET: SECRET, LEAVE_GRACE_SECONDS: "60", ROOM_CAPACITY: "20000", CHECKINS_PER_MINUTE: "1000000" },
  });
  const { url } = server;
  const wsUrl = url.replace(/^http/, "ws");
  // The cookies an answer sets, as a browser would send them back (a cleared one is left out).
  const cookieOf = (res: Response) =>
    res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .filter((kv) => !kv.endsWith("="))
      .join("; ");

  async function post(path: string, init: RequestInit): Promise<Response> {
    const res = await fetch(`${url}${path}`, { method: "POST", ...init });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return res;
  }

  return {
    name: "ours",
    pages: true,
    pid: workerdPid(),
    url,
    // A staff page gets a message to everyone waiting as one frame.
    broadcastEchoes: () => 1,
    async provider(room) {
      const link = await signStaffLink(SECRET, { room, name: "Dr. Bench", role: "host" }, 3600);
      const res = await post("/api/provider/session", { headers: { authorization: `Bearer ${link}` } });
      const headers = { origin: url, cookie: cookieOf(res) };
      return openJsonSocket(`${wsUrl}/api/rooms/${room}/ws?as=staff`, headers, "provider", tracker, OURS);
    },
    async patient(room, name) {
      const res = await post(`/api/rooms/${room}/check-in`, {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name }),
      });
      const headers = { origin: url, cookie: cookieOf(res) };
      return openJsonSocket(`${wsUrl}/api/rooms/${room}/ws`, headers, "patient", tracker, OURS);
    },
    stop: () => server.stop(),
  };
}
