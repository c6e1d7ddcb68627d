import { describe, expect, it } from "vitest";
import { CLOSE, HEARTBEAT } from "../../worker/protocol";
import { Client, setup } from "./fakes";

// The room pings each page about every HEARTBEAT.intervalMs (spread out, so
// a big room is not pinged in one burst), sweeps every second, and closes a
// socket it has heard nothing from for `deadAfterMs`, so a page whose
// network died without a close is noticed. Pages answer pings at once.

const DEAD_AFTER = 25_000;
/** The latest a silent socket may stay open: one sweep after it went dead. */
const AT_THE_LATEST = DEAD_AFTER + HEARTBEAT.intervalMs;

/** Advances the clock by `ms`, pinging from `pages` every interval as the client does. */
function keepPinging(t: ReturnType<typeof setup>, pages: Client[], ms: number): void {
  for (let left = ms; left > 0; left -= HEARTBEAT.intervalMs) {
    for (const page of pages) page.send({ type: "ping" });
    t.clock.advance(Math.min(left, HEARTBEAT.intervalMs));
  }
}

describe("heartbeats", () => {
  it(`a silent patient socket is closed with ${CLOSE.silent} within deadAfterMs plus one sweep, and the patient shows as away`, () => {
    const t = setup({ deadAfterMs: DEAD_AFTER });
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    keepPinging(t, [provider], DEAD_AFTER);
    expect(ana.peer.closedWith).toBeUndefined();
    keepPinging(t, [provider], AT_THE_LATEST - DEAD_AFTER);

    expect(ana.peer.closedWith?.code).toBe(CLOSE.silent);
    expect(provider.last("patient")?.patient).toMatchObject({ id: ana.id, status: "away" });
    expect(provider.peer.closedWith).toBeUndefined();
  });

  it("a page that keeps pinging stays connected, and its patient stays waiting", () => {
    const t = setup({ deadAfterMs: DEAD_AFTER });
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    keepPinging(t, [provider, ana], 10 * 60_000);

    expect(ana.peer.closedWith).toBeUndefined();
    expect(ana.of("pong").length).toBeGreaterThanOrEqual(60);
    expect(t.room.queue()[0].status).toBe("waiting");
  });

  it("the room pings every page each interval, so a page that only answers stays connected", () => {
    const t = setup({ deadAfterMs: DEAD_AFTER });
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    for (let i = 0; i < 60; i++) {
      t.clock.advance(HEARTBEAT.intervalMs);
      // A page in a background tab: its timers are throttled, its message handler is not.
      for (const page of [provider, ana]) if (page.last("ping")) page.send({ type: "pong" });
      for (const page of [provider, ana]) page.clear();
    }

    expect(ana.peer.closedWith).toBeUndefined();
    expect(provider.peer.closedWith).toBeUndefined();
    expect(t.room.queue()[0].status).toBe("waiting");
  });

  it("any frame counts as a sign of life, not only pings", () => {
    const t = setup({ deadAfterMs: DEAD_AFTER });
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    for (let i = 0; i < 12; i++) {
      ana.send({ type: "send", cid: `a${i}`, text: `still here ${i}` });
      provider.send({ type: "send", cid: `p${i}`, to: ana.id, text: `noted ${i}` });
      t.clock.advance(HEARTBEAT.intervalMs);
    }

    expect(ana.peer.closedWith).toBeUndefined();
    expect(provider.peer.closedWith).toBeUndefined();
  });

  it("a silent provider socket is closed too, and the patients are told the provider went offline", () => {
    const t = setup({ deadAfterMs: DEAD_AFTER });
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    keepPinging(t, [ana], AT_THE_LATEST);

    expect(provider.peer.closedWith?.code).toBe(CLOSE.silent);
    expect(ana.last("provider")).toEqual({ type: "provider", online: false });
  });

  it("a socket that never said hello is closed as silent too", () => {
    const t = setup({ deadAfterMs: DEAD_AFTER });
    const provider = t.provider();
    const mute = new Client(t.room, t.patientIdentity("Never Hello"));

    keepPinging(t, [provider], AT_THE_LATEST);

    expect(mute.peer.closedWith?.code).toBe(CLOSE.silent);
  });

  it("a patient closed as silent who reconnects within the grace period is waiting again, with nothing lost", () => {
    const t = setup({ deadAfterMs: DEAD_AFTER });
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", cid: "a1", text: "Hello?" });
    keepPinging(t, [provider], AT_THE_LATEST);
    provider.send({ type: "send", cid: "p1", to: ana.id, text: "Sorry, I'm here now." });

    const back = t.reopen(ana, { [ana.id]: 1 });

    expect(back.texts()).toEqual(["Sorry, I'm here now."]);
    expect(provider.last("patient")?.patient).toMatchObject({ id: ana.id, status: "waiting" });
  });
});
