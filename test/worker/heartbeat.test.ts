import { afterEach, expect, it } from "vitest";
import { HEARTBEAT } from "../../protocol/wire";
import { closeAllSockets, freshRoom, joinAsPatient } from "./helpers";

afterEach(closeAllSockets);

it(
  "a quiet page is pinged once per heartbeat interval, not several times a second",
  async () => {
    const room = freshRoom();
    const ana = await joinAsPatient(room, "Ana Lima");
    const since = Date.now();

    const [first] = await ana.socket.waitForPings(1, HEARTBEAT.intervalMs + 5_000);

    // Each timer turn pings a slice of the room; a room of one owes a
    // fraction of a ping per turn, and must not round it up to a whole one.
    expect(first! - since).toBeGreaterThanOrEqual(HEARTBEAT.intervalMs / 2);
    expect(ana.socket.pingedAt).toHaveLength(1);
    // The page answered, so it is still connected.
    await ana.socket.settle();
  },
  HEARTBEAT.intervalMs + 10_000,
);
