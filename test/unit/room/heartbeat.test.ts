import { describe, expect, it } from "vitest";
import { CLOSE, HEARTBEAT, PING_FRAME, PONG_FRAME } from "../../../protocol/wire";
import { TICK_MS } from "../../../worker/room/heartbeat";
import { Client, setup } from "../../support/fakes";

// The room pings each page about every HEARTBEAT.intervalMs, a slice of the
// pages on each timer turn so a big room is not pinged in one burst, and
// closes a socket it has heard nothing from for `deadAfterMs`, so a page
// whose network died without a close is noticed. Pages answer at once.

const DEAD_AFTER = HEARTBEAT.deadAfterMs;
/** The latest a silent socket may stay open: one pass over every socket after it went dead. */
const AT_THE_LATEST = DEAD_AFTER + HEARTBEAT.intervalMs + TICK_MS;

const withHeartbeats = () => setup({ deadAfterMs: DEAD_AFTER, capacity: 1_000 });

/** Advances the clock by `ms`, pinging from `pages` every interval as a page would. */
function keepPinging(t: ReturnType<typeof setup>, pages: Client[], ms: number): void {
  for (let left = ms; left > 0; left -= HEARTBEAT.intervalMs) {
    for (const page of pages) if (!page.peer.closedWith) page.send({ type: "ping" });
    t.clock.advance(Math.min(left, HEARTBEAT.intervalMs));
  }
}

/** Advances time turn by turn; every page answers the pings it got at once. */
function answering(t: ReturnType<typeof setup>, pages: Client[], ms: number, onTurn?: () => void): void {
  for (let left = ms; left > 0; left -= TICK_MS) {
    t.clock.advance(TICK_MS);
    for (const page of pages) {
      if (page.peer.raw.includes(PING_FRAME)) page.socket.receive(PONG_FRAME);
    }
    onTurn?.();
    for (const page of pages) page.clear();
  }
}

describe("heartbeats", () => {
  it(`a silent patient socket is closed with ${CLOSE.silent} within deadAfterMs plus one interval, and the patient shows as away`, () => {
    const t = withHeartbeats();
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
    const t = withHeartbeats();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    keepPinging(t, [provider, ana], 10 * 60_000);

    expect(ana.peer.closedWith).toBeUndefined();
    expect(ana.of("pong").length).toBeGreaterThanOrEqual(60);
    expect(t.room.queueSnapshot()[0].status).toBe("waiting");
  });

  it("the room pings every page each interval, so a page that only answers stays connected", () => {
    const t = withHeartbeats();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    // A page in a background tab: its timers are throttled, its message handler is not.
    answering(t, [provider, ana], 10 * 60_000);

    expect(ana.peer.closedWith).toBeUndefined();
    expect(provider.peer.closedWith).toBeUndefined();
    expect(t.room.queueSnapshot()[0].status).toBe("waiting");
  });

  it("any frame counts as a sign of life, not only pings", () => {
    const t = withHeartbeats();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    for (let i = 0; i < 12; i++) {
      ana.send({ type: "send", c: ana.c, cid: `a${i}`, text: `still here ${i}` });
      provider.send({ type: "send", c: ana.c, cid: `p${i}`, text: `noted ${i}` });
      t.clock.advance(HEARTBEAT.intervalMs);
    }

    expect(ana.peer.closedWith).toBeUndefined();
    expect(provider.peer.closedWith).toBeUndefined();
  });

  it("a silent staff socket is closed too, and the patients are told no staff is online", () => {
    const t = withHeartbeats();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    keepPinging(t, [ana], AT_THE_LATEST);

    expect(provider.peer.closedWith?.code).toBe(CLOSE.silent);
    expect(ana.last("staff_online")).toEqual({ type: "staff_online", online: false });
  });

  it(`a socket that never says hello is closed with ${CLOSE.policy} within a few seconds`, () => {
    const t = withHeartbeats();
    const provider = t.provider();
    const mute = new Client(t.room, t.checkIn("Never Hello"));

    keepPinging(t, [provider], HEARTBEAT.helloMs - TICK_MS);
    expect(mute.peer.closedWith).toBeUndefined();
    keepPinging(t, [provider], 2 * TICK_MS);

    expect(mute.peer.closedWith?.code).toBe(CLOSE.policy);
    expect(provider.peer.closedWith).toBeUndefined();
  });

  it("a socket that never says hello is closed even with heartbeats off", () => {
    const t = setup();
    const mute = new Client(t.room, t.checkIn("Never Hello"));

    t.clock.advance(HEARTBEAT.helloMs + TICK_MS);

    expect(mute.peer.closedWith?.code).toBe(CLOSE.policy);
  });

  it("a patient closed as silent who reconnects within the grace period is waiting again, with nothing lost", () => {
    const t = withHeartbeats();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Hello?" });
    keepPinging(t, [provider], AT_THE_LATEST);
    provider.send({ type: "send", c: ana.c, cid: "p1", text: "Sorry, I'm here now." });

    const back = t.resume(ana);

    expect(back.texts()).toEqual(["Sorry, I'm here now."]);
    expect(provider.last("patient")?.patient).toMatchObject({ id: ana.id, status: "waiting" });
  });
});

describe("pings spread over the interval", () => {
  const PAGES = 400;
  /** `PAGES` patients with a page each, all answering pings. */
  function bigRoom() {
    const t = withHeartbeats();
    const pages = Array.from({ length: PAGES }, (_, i) => t.patient(`Patient ${i}`));
    for (const page of pages) page.clear();
    return { t, pages };
  }

  it("no turn pings more than its slice of the pages, and every page is pinged within an interval", () => {
    const { t, pages } = bigRoom();
    const slice = Math.ceil((PAGES * TICK_MS) / HEARTBEAT.intervalMs);
    const perTurn: number[] = [];
    const pinged = new Set<Client>();

    answering(t, pages, HEARTBEAT.intervalMs + TICK_MS, () => {
      const now = pages.filter((p) => p.peer.raw.includes(PING_FRAME));
      perTurn.push(now.length);
      for (const p of now) pinged.add(p);
    });

    expect(Math.max(...perTurn)).toBeLessThanOrEqual(slice);
    expect(perTurn.filter((n) => n > 0).length).toBeGreaterThanOrEqual(HEARTBEAT.intervalMs / TICK_MS - 1);
    expect(pinged.size).toBe(PAGES);
    expect(pages.filter((p) => p.peer.closedWith)).toEqual([]);
  });

  it("silent sockets are found a slice at a time, and each within an interval of going dead", () => {
    const { t, pages } = bigRoom();
    const closedPerTurn: number[] = [];
    let closed = 0;

    // Nobody answers: after deadAfterMs every socket is dead.
    for (let left = AT_THE_LATEST; left > 0; left -= TICK_MS) {
      t.clock.advance(TICK_MS);
      const now = pages.filter((p) => p.peer.closedWith).length;
      closedPerTurn.push(now - closed);
      closed = now;
    }

    expect(closed).toBe(PAGES);
    expect(Math.max(...closedPerTurn)).toBeLessThanOrEqual(Math.ceil((PAGES * TICK_MS) / HEARTBEAT.intervalMs));
    expect(new Set(pages.map((p) => p.peer.closedWith?.code))).toEqual(new Set([CLOSE.silent]));
  });
});
