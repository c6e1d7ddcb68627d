import { beforeEach, describe, expect, it, vi } from "vitest";
import * as wire from "../../../protocol/wire";
import { CLOSE, LIMITS, PONG_FRAME, PROTOCOL_VERSION } from "../../../protocol/wire";
import { FLOOD, FRAME_BUDGET, SEED_FRAMES } from "../../../worker/room/people";
import { Client, setup, waitingRoom } from "../../support/fakes";

// Every frame a client sends goes through its socket: bounded in size,
// refused before parsing when its person is over budget, held back until
// the hello; a frame whose handling fails closes that socket only.

vi.mock("../../../protocol/wire", async (original) => {
  const actual = await original<typeof import("../../../protocol/wire")>();
  return { ...actual, parseClientFrame: vi.fn(actual.parseClientFrame) };
});
const parsed = vi.mocked(wire.parseClientFrame);
beforeEach(() => parsed.mockClear());

/** A marker that must never come back in any frame the server sends. */
const SECRET = "7f3a-do-not-echo";

describe("malformed frames", () => {
  it.each([
    ["malformed JSON", `{"type":"send","text":"${SECRET}"`],
    ["an unknown type", JSON.stringify({ type: "shout", text: SECRET })],
    ["a missing field", JSON.stringify({ type: "send", text: SECRET })],
    ["a JSON value that is not an object", JSON.stringify(SECRET)],
    ["JSON null", "null"],
  ])("%s gets a bad_frame error that does not echo the input", (_name, frame) => {
    const { provider, ana } = waitingRoom();
    ana.clear();

    ana.socket.receive(frame);

    expect(ana.frames).toEqual([{ type: "error", code: "bad_frame", message: expect.any(String) }]);
    expect(ana.peer.raw.join("")).not.toContain(SECRET);
    expect(provider.peer.raw.join("")).not.toContain(SECRET);
  });

  it.each([
    ["an ArrayBuffer", new TextEncoder().encode(JSON.stringify({ type: "ping" })).buffer],
    ["a Uint8Array", new TextEncoder().encode(JSON.stringify({ type: "ping" }))],
  ])("binary data (%s) gets a bad_frame error", (_name, data) => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.clear();

    ana.socket.receive(data);

    expect(ana.frames).toEqual([{ type: "error", code: "bad_frame", message: "Frames must be JSON text." }]);
  });

  it("a second hello is refused as bad_frame", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.clear();

    ana.hello();

    expect(ana.frames.map((f) => f.type)).toEqual(["error"]);
    expect(ana.last("error")?.code).toBe("bad_frame");
  });
});

describe("frame size", () => {
  it(`a frame over ${LIMITS.frameBytes / 1024} KiB closes the socket with 1009, and the patient shows as away`, () => {
    const { provider, ana } = waitingRoom();
    provider.clear();
    parsed.mockClear();

    ana.socket.receive(JSON.stringify({ type: "send", c: ana.c, cid: "big", text: "z".repeat(LIMITS.frameBytes) }));

    expect(ana.peer.closedWith?.code).toBe(CLOSE.tooBig);
    expect(provider.of("msg")).toEqual([]);
    expect(provider.last("patient")?.patient.status).toBe("away");
    expect(parsed).not.toHaveBeenCalled();
  });

  it("frame size counts UTF-8 bytes, not characters", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const euros = "€".repeat(Math.ceil(LIMITS.frameBytes / 3) + 1); // 3 bytes each, fewer chars than the limit

    ana.socket.receive(euros);

    expect(euros.length).toBeLessThan(LIMITS.frameBytes);
    expect(ana.peer.closedWith?.code).toBe(CLOSE.tooBig);
  });

  it("a frame just under the limit is parsed, not closed", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");

    ana.socket.receive(" ".repeat(LIMITS.frameBytes - 20) + '{"type":"ping"}');

    expect(ana.peer.closedWith).toBeUndefined();
    expect(ana.last("pong")).toEqual({ type: "pong" });
  });
});

describe("the frame budget", () => {
  it(`a person sending too fast gets rate_limited after a burst of ${FRAME_BUDGET.burst}, then recovers at ${FRAME_BUDGET.perSecond} a second`, () => {
    const t = setup();
    const ana = t.patient("Ana Lima"); // the hello took one frame of the burst
    ana.clear();

    for (let i = 0; i < FRAME_BUDGET.burst; i++) ana.send({ type: "ping" });
    expect(ana.frames.map((f) => f.type)).toEqual([...Array(FRAME_BUDGET.burst - 1).fill("pong"), "error"]);
    expect(ana.last("error")?.code).toBe("rate_limited");
    expect(ana.peer.closedWith).toBeUndefined();

    ana.clear();
    t.clock.advance(1000 / FRAME_BUDGET.perSecond - 1);
    ana.send({ type: "ping" });
    expect(ana.frames.map((f) => f.type)).toEqual(["error"]);

    ana.clear();
    t.clock.advance(2000 / FRAME_BUDGET.perSecond + 1);
    ana.send({ type: "ping" });
    ana.send({ type: "ping" });
    expect(ana.frames.map((f) => f.type)).toEqual(["pong", "pong"]);
  });

  it("a frame over budget is refused before it is parsed", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    for (let i = 0; i < FRAME_BUDGET.burst; i++) ana.send({ type: "ping" });
    parsed.mockClear();

    ana.send({ type: "send", c: ana.c, cid: "x", text: "over budget" });

    expect(ana.last("error")?.code).toBe("rate_limited");
    expect(parsed).not.toHaveBeenCalled();
  });

  it("is one budget per person, whatever the number of their pages", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const otherTab = t.reopen(ana);
    otherTab.clear();

    for (let i = 0; i < FRAME_BUDGET.burst; i++) ana.send({ type: "ping" });
    otherTab.send({ type: "ping" });

    expect(otherTab.frames).toEqual([expect.objectContaining({ type: "error", code: "rate_limited" })]);
  });

  it("one fast sender does not use up anyone else's budget", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");

    for (let i = 0; i < 2 * FRAME_BUDGET.burst; i++) ana.send({ type: "ping" });
    bo.send({ type: "ping" });

    expect(bo.last("pong")).toEqual({ type: "pong" });
  });

  it(`a person refused more than ${FLOOD.refused} frames within ${FLOOD.windowMs / 1000} s is closed with ${CLOSE.policy}`, () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.clear();

    for (let i = 0; i < FRAME_BUDGET.burst - 1 + FLOOD.refused; i++) ana.send({ type: "ping" });
    expect(ana.peer.closedWith).toBeUndefined();
    ana.send({ type: "ping" });

    expect(ana.peer.closedWith?.code).toBe(CLOSE.policy);
    expect(ana.of("error")).toHaveLength(FLOOD.refused);
  });

  it("refusals spread over time are not a flood", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    for (let i = 0; i < FRAME_BUDGET.burst; i++) ana.send({ type: "ping" });

    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < FLOOD.refused / 2; i++) ana.send({ type: "ping" });
      t.clock.advance(FLOOD.windowMs + 1);
      for (let i = 0; i < FRAME_BUDGET.burst; i++) ana.send({ type: "ping" });
    }

    expect(ana.peer.closedWith).toBeUndefined();
  });
});

describe("heartbeat answers", () => {
  it("a pong as pages send it is never parsed, and costs no frame of the budget", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.clear();
    parsed.mockClear();

    for (let i = 0; i < 3 * FRAME_BUDGET.burst; i++) ana.socket.receive(PONG_FRAME);
    ana.send({ type: "ping" });

    expect(parsed).toHaveBeenCalledTimes(1);
    expect(ana.frames).toEqual([{ type: "pong" }]);
  });

  it("a pong written any other way is an ordinary frame: parsed and counted", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.clear();
    parsed.mockClear();

    ana.socket.receive('{ "type": "pong" }');

    expect(parsed).toHaveBeenCalledTimes(1);
    expect(ana.frames).toEqual([]);
  });
});

describe("seed frames", () => {
  it("from a page that is not resuming across a reset are refused, before parsing", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const fresh = t.reopen(ana);
    ana.drop();
    const resumed = t.resume(ana);
    for (const page of [fresh, resumed]) page.clear();
    parsed.mockClear();

    for (const page of [fresh, resumed]) page.send({ type: "seed", c: ana.c, messages: [] });

    expect(parsed).not.toHaveBeenCalled();
    for (const page of [fresh, resumed]) expect(page.frames).toEqual([expect.objectContaining({ type: "error", code: "rate_limited" })]);
  });

  it("from a page resuming across a reset are taken, and do not use the frame budget", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    t.reset();
    const back = t.resume(ana);
    back.clear();

    for (let i = 0; i < 2 * FRAME_BUDGET.burst; i++) back.send({ type: "seed", c: ana.c, messages: [] });
    back.send({ type: "ping" });

    expect(back.frames).toEqual([{ type: "pong" }]);
  });

  it(`are limited per person (${SEED_FRAMES.other} for a patient), apart from the frame budget`, () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    t.reset();
    const back = t.resume(ana);
    back.clear();

    for (let i = 0; i < SEED_FRAMES.other + 10; i++) back.send({ type: "seed", c: ana.c, messages: [] });

    expect(back.of("error").map((e) => e.code)).toEqual(Array(10).fill("rate_limited"));
    back.send({ type: "ping" });
    expect(back.last("pong")).toEqual({ type: "pong" });
  });

  it("a seed frame not written the way pages write it is refused", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    t.reset();
    const back = t.resume(ana);
    back.clear();

    back.socket.receive(JSON.stringify({ c: ana.c, type: "seed", messages: [] }));

    expect(back.last("error")?.code).toBe("bad_frame");
  });
});

describe("pages per person", () => {
  it(`a person may have ${LIMITS.pagesPerPerson} pages open; one more is closed with ${CLOSE.tooManyPages}`, () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const tabs = Array.from({ length: LIMITS.pagesPerPerson - 1 }, () => t.reopen(ana));

    const tooMany = t.reopen(ana);

    expect([ana, ...tabs].map((p) => p.peer.closedWith)).toEqual(Array(LIMITS.pagesPerPerson).fill(undefined));
    expect(tooMany.peer.closedWith?.code).toBe(CLOSE.tooManyPages);
  });

  it("a page whose sockets keep dying without the room seeing them close is never locked out", () => {
    const t = setup();
    const provider = t.provider();
    let page = t.patient("Ana Lima");

    // Each time, the network loses the socket half-open: the page moves on, the room hears nothing.
    for (let i = 0; i < 3 * LIMITS.pagesPerPerson; i++) page = t.reopen(page, page.resumeState());
    page.send({ type: "send", c: page.c, cid: "a1", text: "Still here" });

    expect(page.peer.closedWith).toBeUndefined();
    expect(provider.last("msg")?.text).toBe("Still here");
    expect(provider.of("patient").map((p) => p.patient.status)).toEqual(["waiting"]);
  });

  it("sockets that have not said hello count too, and a closed page frees its place", () => {
    const t = setup();
    const identity = t.checkIn("Ana Lima");
    const silent = Array.from({ length: LIMITS.pagesPerPerson }, () => new Client(t.room, identity));
    expect(new Client(t.room, identity).peer.closedWith?.code).toBe(CLOSE.tooManyPages);

    silent[0].drop();
    const page = new Client(t.room, identity).hello();

    expect(page.peer.closedWith).toBeUndefined();
    expect(page.last("welcome")?.self.id).toBe(identity.id);
  });
});

describe("the handshake", () => {
  it("frames before hello are refused with hello_required, and hello still works after", () => {
    const t = setup();
    const identity = t.checkIn("Ana Lima");
    const page = new Client(t.room, identity);

    page.send({ type: "send", c: identity.c, cid: "a1", text: "Hi" });
    page.send({ type: "ping" });
    expect(page.frames.map((f) => f.type === "error" && f.code)).toEqual(["hello_required", "hello_required"]);

    page.hello();
    expect(page.last("welcome")?.self.id).toBe(identity.id);
  });

  it("a page speaking another protocol version is told to reload and closed with 4002", () => {
    const t = setup();
    const identity = t.checkIn("Ana Lima");
    const provider = t.provider();
    const page = new Client(t.room, identity);

    page.send({ type: "hello", v: PROTOCOL_VERSION + 1 });

    expect(page.frames).toEqual([{ type: "error", code: "version", message: expect.any(String) }]);
    expect(page.peer.closedWith?.code).toBe(CLOSE.version);
    // It never joined, so staff see no status change for it.
    expect(provider.of("patient").filter((p) => p.patient.status === "away")).toEqual([]);
  });

  it("a socket that closed before saying hello leaves the queue untouched", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const provider = t.provider();
    provider.clear();

    new Client(t.room, ana.identity).drop();

    expect(provider.frames).toEqual([]);
    expect(t.room.queueSnapshot()[0]?.status).toBe("waiting");
  });
});

describe("a frame whose handling fails", () => {
  const failing = () => setup({ commands: { send: () => { throw new Error("x"); } } });

  it(`closes that socket only, with ${CLOSE.failed}, and tells nobody what the frame held`, () => {
    const t = failing();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");

    ana.send({ type: "send", c: ana.c, cid: "a1", text: SECRET });

    expect(ana.peer.closedWith?.code).toBe(CLOSE.failed);
    expect([provider, bo].map((p) => p.peer.closedWith)).toEqual([undefined, undefined]);
    for (const page of [provider, ana, bo]) expect(page.peer.raw.join("")).not.toContain(SECRET);
  });

  it("while everyone else keeps being served", () => {
    const t = failing();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "This fails" });
    bo.clear();

    bo.send({ type: "ping" });
    provider.send({ type: "broadcast", cid: "all", text: "Still serving" });
    provider.send({ type: "start_session", c: bo.c });

    expect(bo.frames.map((f) => f.type)).toEqual(["pong", "msg", "session_started", "participants"]);
    expect(provider.of("patient").filter((p) => p.patient.id === ana.id).map((p) => p.patient.status)).toEqual(["waiting", "away"]);
    expect(provider.last("session_started")?.c).toBe(bo.c);
  });

  it("the page whose socket failed comes back and is served", () => {
    const t = failing();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "This fails" });

    const back = t.resume(ana);
    back.send({ type: "ping" });

    expect(back.last("pong")).toEqual({ type: "pong" });
    expect(provider.last("patient")?.patient).toMatchObject({ id: ana.id, status: "waiting" });
  });
});
