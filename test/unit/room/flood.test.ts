import { performance } from "node:perf_hooks";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as wire from "../../../protocol/wire";
import { CLOSE, LIMITS } from "../../../protocol/wire";
import { FLOOD, FRAME_BUDGET, SEED_BUDGET, SEED_FRAMES } from "../../../worker/room/people";
import { Client, setup } from "../../support/fakes";

// One person must not be able to slow the room down for everyone else: what
// they send is counted per person (not per socket) before it is parsed, and
// a person who keeps sending past their budget is closed.

vi.mock("../../../protocol/wire", async (original) => {
  const actual = await original<typeof import("../../../protocol/wire")>();
  return { ...actual, parseClientFrame: vi.fn(actual.parseClientFrame) };
});
const parse = vi.mocked(wire.parseClientFrame);
beforeEach(() => parse.mockClear());

/** A frame just under the size limit that is costly to parse: two thousand ids for the schema to check. */
function costlyFrame(): string {
  const ids: string[] = [];
  let frame = "";
  for (let i = 0; ; i++) {
    ids.push(`member-${i}-`.padEnd(30, "x"));
    const next = JSON.stringify({ type: "create_group", cid: "g", title: "Flood", members: ids });
    if (next.length > LIMITS.frameBytes - 100) break;
    frame = next;
  }
  return frame;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Parsing the frames a budget lets through takes a while on a busy machine.
const SLOW = { timeout: 60_000 };

describe("a flood of large, costly frames from one patient", () => {
  it("is refused without parsing, costs the room little per frame, and closes the flooder while another patient is served", SLOW, () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");
    const frame = costlyFrame();
    parse.mockClear();
    const accepted: number[] = [];
    const refused: number[] = [];
    let delivered = 0;

    for (let i = 0; i < 400 && !ana.peer.closedWith; i++) {
      const parsedBefore = parse.mock.calls.length;
      const start = performance.now();
      ana.socket.receive(frame);
      const took = performance.now() - start;
      (parse.mock.calls.length > parsedBefore ? accepted : refused).push(took);
      if (i % 10 === 0) {
        bo.send({ type: "send", c: bo.c, cid: `b${i}`, text: `Bo's message ${i}` });
        delivered++;
      }
    }

    // Ana's budget let the first frames through (they were parsed and refused as bad frames); the rest were never parsed.
    expect(accepted).toHaveLength(FRAME_BUDGET.burst - 1);
    expect(refused).toHaveLength(FLOOD.refused + 1);
    expect(parse.mock.calls.filter(([data]) => data === frame)).toHaveLength(FRAME_BUDGET.burst - 1);
    expect(ana.peer.closedWith?.code).toBe(CLOSE.policy);
    // Refusing a frame costs a small part of parsing one.
    expect(median(refused)).toBeLessThan(median(accepted) / 3);
    // Bo was served all along, and is after.
    bo.send({ type: "send", c: bo.c, cid: "after", text: "After the flood" });
    expect(provider.copy(bo.c).map((m) => m.text)).toHaveLength(delivered + 1);
    expect(bo.peer.closedWith).toBeUndefined();
    expect(provider.peer.closedWith).toBeUndefined();
  });

  it("frames sent after the close are not even looked at", SLOW, () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const frame = costlyFrame();
    while (!ana.peer.closedWith) ana.socket.receive(frame);
    parse.mockClear();
    const before = ana.peer.raw.length;

    for (let i = 0; i < 100; i++) ana.socket.receive(frame);

    expect(parse).not.toHaveBeenCalled();
    expect(ana.peer.raw).toHaveLength(before);
  });
});

describe("many sockets on one cookie", () => {
  it(`are capped at ${LIMITS.pagesPerPerson}, and share one frame budget`, () => {
    const t = setup();
    const provider = t.provider();
    const identity = t.checkIn("Ana Lima");
    const sockets = Array.from({ length: 20 }, () => new Client(t.room, identity));
    const open = sockets.filter((s) => !s.peer.closedWith);
    for (const s of open) s.hello();
    provider.clear();

    for (let round = 0; round < FRAME_BUDGET.burst; round++) {
      for (const s of open) s.send({ type: "send", c: identity.c, cid: `m${round}-${open.indexOf(s)}`, text: "spam" });
    }

    expect(open).toHaveLength(LIMITS.pagesPerPerson);
    expect(sockets.filter((s) => s.peer.closedWith?.code === CLOSE.tooManyPages)).toHaveLength(20 - LIMITS.pagesPerPerson);
    // The five hellos took five frames of the one budget.
    expect(provider.of("msg")).toHaveLength(FRAME_BUDGET.burst - LIMITS.pagesPerPerson);
  });

  it("opening and closing sockets again and again does not refill the budget", () => {
    const t = setup();
    const provider = t.provider();
    const identity = t.checkIn("Ana Lima");
    provider.clear();

    for (let i = 0; i < 20; i++) {
      const page = new Client(t.room, identity).hello();
      for (let j = 0; j < 5; j++) page.send({ type: "send", c: identity.c, cid: `m${i}-${j}`, text: "spam" });
      page.drop();
    }

    expect(provider.of("msg").length).toBeLessThanOrEqual(FRAME_BUDGET.burst);
  });
});

describe("handing back after a reset, from many sockets on one cookie", () => {
  /** Ana opened `n` pages, one after another; the room was reset; each page resumes across it. */
  function resumingSockets(n: number) {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const passes = Array.from({ length: n }, () => {
      const page = t.reopen(ana);
      page.drop();
      return page.resumeState();
    });
    t.reset();
    const sockets = passes.map((resume) => new Client(t.room, ana.identity).hello({ resume }));
    return { t, ana, sockets, open: sockets.filter((s) => !s.peer.closedWith) };
  }

  it(`the seed frames of all of them count against one budget of ${SEED_FRAMES.other}, before parsing`, () => {
    const { ana, open } = resumingSockets(20);
    parse.mockClear();

    for (let round = 0; round < SEED_FRAMES.other; round++) for (const s of open) s.send({ type: "seed", c: ana.c, messages: [] });

    expect(open).toHaveLength(LIMITS.pagesPerPerson);
    expect(parse).toHaveBeenCalledTimes(SEED_FRAMES.other);
    // What went past the budget was refused, and sending on after that is a flood.
    expect(open.flatMap((s) => s.of("error")).filter((e) => e.code === "rate_limited")).toHaveLength(FLOOD.refused);
    expect(open.map((s) => s.peer.closedWith?.code)).toEqual(Array(LIMITS.pagesPerPerson).fill(CLOSE.policy));
  });

  it("sockets opened one after another share it too", () => {
    const { t, ana } = resumingSockets(0);
    const resume = ana.resumeState();
    parse.mockClear();

    for (let i = 0; i < 20; i++) {
      const page = new Client(t.room, ana.identity).hello({ resume });
      for (let j = 0; j < 20; j++) page.send({ type: "seed", c: ana.c, messages: [] });
      page.drop();
    }

    // The twenty hellos were parsed, and no more seed frames than one budget.
    expect(parse).toHaveBeenCalledTimes(20 + SEED_FRAMES.other);
  });

  it(`the messages handed back count against one budget of ${SEED_BUDGET.other} per person`, SLOW, () => {
    const { ana, open } = resumingSockets(LIMITS.pagesPerPerson);
    const messages = Array.from({ length: LIMITS.seedMessages }, (_, i) => ({
      type: "msg" as const,
      c: ana.c,
      seq: i + 1,
      cid: `x${i}`,
      by: ana.id,
      name: "Ana Lima",
      role: "patient" as const,
      text: "forged",
      time: 0,
      sig: "not-signed",
    }));
    const frames = Math.ceil(SEED_BUDGET.other / LIMITS.seedMessages) + 5;

    for (let i = 0; i < frames; i++) open[i % open.length].send({ type: "seed", c: ana.c, messages });

    const codes = open.flatMap((s) => s.of("error")).map((e) => e.code);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(5);
    expect(codes.filter((c) => c === "bad_seed")).toHaveLength(frames - 5);
  });
});
