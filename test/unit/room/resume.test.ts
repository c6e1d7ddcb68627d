import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type ChatMessage } from "../../../protocol/wire";
import { Client, setup, waitingRoom } from "../../support/fakes";

// A page that reconnects says hello with the pass of its welcome and the
// arrival number of the last message it got; the room sends what came
// after, once each and in order.

const SCRIPT = ["Hi, I'm checked in.", "Thanks, Ana. About ten minutes.", "OK, I'll wait.", "Ready for you now."];

/** Ana and the provider take turns through the first `n` lines of SCRIPT (seq 1..n); then Ana's page drops. */
function afterBlip(n: number) {
  const { t, provider, ana } = waitingRoom();
  SCRIPT.slice(0, n).forEach((text, i) =>
    i % 2 === 0 ? ana.send({ type: "send", c: ana.c, cid: `a${i}`, text }) : provider.send({ type: "send", c: ana.c, cid: `p${i}`, text }),
  );
  const held = ana.copy();
  ana.drop();
  return { t, provider, ana, held };
}

/** Ana and Bo have each written once; the staff page drops; then `after` runs. */
function providerAway(after: (ana: Client, bo: Client) => void) {
  const { t, provider, ana } = waitingRoom();
  const bo = t.patient("Bo Chen");
  ana.send({ type: "send", c: ana.c, cid: "a1", text: "ana 1" });
  bo.send({ type: "send", c: bo.c, cid: "b1", text: "bo 1" });
  provider.drop();
  after(ana, bo);
  return { t, provider, ana, bo };
}

const order = (page: Client) => page.frames.map((f) => (f.type === "msg" ? f.seq : f.type));
const seqs = (msgs: readonly ChatMessage[]) => msgs.map((m) => m.seq);

describe("a page resuming after the last message it got", () => {
  it("gets nothing but its welcome when it missed nothing", () => {
    const { t, ana } = afterBlip(3);

    const back = t.resume(ana);

    expect(back.frames.map((f) => f.type)).toEqual(["welcome"]);
  });

  it("gets exactly the messages it missed, once each and in order, before any live message", () => {
    const { t, provider, ana, held } = afterBlip(2);
    provider.send({ type: "send", c: ana.c, cid: "p3", text: "Are you still there?" });
    t.patient("Bo Chen"); // traffic in another conversation is not Ana's business
    provider.send({ type: "send", c: ana.c, cid: "p4", text: "Ana?" });

    const back = t.resume(ana);
    provider.send({ type: "send", c: ana.c, cid: "p5", text: "There you are." });

    expect(order(back)).toEqual(["welcome", 3, 4, 5]);
    expect(back.copy(ana.c, held)).toEqual(provider.copy(ana.c));
  });

  it("a staff page gets what it missed in every conversation", () => {
    const { t, provider } = providerAway((ana, bo) => {
      ana.send({ type: "send", c: ana.c, cid: "a2", text: "ana 2" });
      bo.send({ type: "send", c: bo.c, cid: "b2", text: "bo 2" });
      bo.send({ type: "send", c: bo.c, cid: "b3", text: "bo 3" });
    });

    const back = t.resume(provider);

    expect(back.of("msg").map((m) => m.text)).toEqual(["ana 2", "bo 2", "bo 3"]);
    expect(back.of("resync")).toEqual([]);
  });
});

describe("a staff page's catch-up", () => {
  it("comes in arrival order across conversations, so a page cut off in the middle misses nothing when it resumes", () => {
    const { t, provider, ana } = waitingRoom();
    const bo = t.patient("Bo Chen");
    provider.drop();
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "ana 1" });
    bo.send({ type: "send", c: bo.c, cid: "b1", text: "bo 1" });
    ana.send({ type: "send", c: ana.c, cid: "a2", text: "ana 2" });
    bo.send({ type: "send", c: bo.c, cid: "b2", text: "bo 2" });

    const back = t.resume(provider);
    expect(back.of("msg").map((m) => m.n)).toEqual([1, 2, 3, 4]);

    // Its socket drops after the first two arrived: it resumes from the highest it got.
    const got = back.of("msg").slice(0, 2);
    back.drop();
    const again = t.reopen(back, { ...back.resumeState(), n: Math.max(...got.map((m) => m.n)) });
    const held = [...got, ...again.of("msg")];
    expect(held.map((m) => m.text).sort()).toEqual(["ana 1", "ana 2", "bo 1", "bo 2"]);
  });
});

describe("a page resuming with an arrival number the room never issued", () => {
  it("from the future gets a resync, then the whole conversation once", () => {
    const { t, provider, ana, held } = afterBlip(3);

    const back = t.reopen(ana, { ...ana.resumeState(), n: 42 });

    expect(order(back)).toEqual(["welcome", "resync", 1, 2, 3]);
    expect(back.copy(ana.c, held)).toEqual(provider.copy(ana.c));
  });

  it("from before the room started (a reset) gets the whole conversation and keeps its own copy: no resync", () => {
    const t = setup({ seqBase: 1000 });
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "one" });
    ana.send({ type: "send", c: ana.c, cid: "a2", text: "two" });

    const back = t.reopen(ana, { ...ana.resumeState(), epoch: "an-earlier-epoch", n: 500 });

    expect(order(back)).toEqual(["welcome", 1001, 1002]);
    expect(back.copy()).toEqual(provider.copy(ana.c));
  });

  it.each([
    ["negative", -1],
    ["a fraction", 1.5],
    ["a string", "2"],
    ["beyond safe integers", 2 ** 53 + 2],
    ["huge", 1e300],
    ["null", null],
    ["an object", { seq: 2 }],
  ])("that is %s is refused as bad_frame, and a proper hello still works", (_kind, n) => {
    const { t, provider, ana, held } = afterBlip(3);
    const page = new Client(t.room, ana.identity);

    page.send({ type: "hello", v: PROTOCOL_VERSION, resume: { ...ana.resumeState(), n } });
    expect(page.frames).toEqual([expect.objectContaining({ type: "error", code: "bad_frame" })]);
    page.hello({ resume: ana.resumeState() });

    expect(page.last("welcome")?.self.id).toBe(ana.id);
    expect(page.copy(ana.c, held)).toEqual(provider.copy(ana.c));
  });

  it("a staff page gets a resync, then every conversation whole", () => {
    const { t, provider, ana, bo } = providerAway((_ana, bo) => bo.send({ type: "send", c: bo.c, cid: "b2", text: "bo 2" }));

    const back = t.reopen(provider, { ...provider.resumeState(), n: 99 });

    expect(back.of("resync")).toEqual([{ type: "resync" }]);
    expect(back.of("msg").map((m) => m.text)).toEqual(["ana 1", "bo 1", "bo 2"]);
    expect(seqs(back.copy(ana.c))).toEqual(seqs(provider.copy(ana.c)));
    expect(back.copy(bo.c).map((m) => m.text)).toEqual(["bo 1", "bo 2"]);
  });
});

describe("a staff page whose first connection dropped", () => {
  // The page got no welcome, so it has no pass and says hello as a fresh
  // page again; its page id tells the room it is the same page, not a reload.
  it("does not erase messages it never received", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "I'm in the waiting room" });
    const staff = t.staffIdentity();
    const first = new Client(t.room, staff).hello({ page: "page-1" });
    first.drop(); // everything it was sent, welcome included, was in flight

    const again = new Client(t.room, staff).hello({ page: "page-1" });

    expect(ana.of("erased")).toEqual([]);
    expect(again.texts()).toEqual(["I'm in the waiting room"]);
  });

  it("a reload (another page id) still erases what the first page was sent", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "I'm in the waiting room" });
    const staff = t.staffIdentity();
    new Client(t.room, staff).hello({ page: "page-1" }).drop();

    const reloaded = new Client(t.room, staff).hello({ page: "page-2" });

    expect(ana.of("erased")).toHaveLength(1);
    expect(reloaded.texts()).toEqual([]);
  });
});

describe("a patient page whose first connection dropped", () => {
  it("gets what it was sent while its welcome was lost, and nothing from before it opened", () => {
    const t = setup();
    const provider = t.provider();
    const identity = t.checkIn("Ana Lima");
    const before = new Client(t.room, identity).hello();
    before.send({ type: "send", c: identity.c, cid: "a0", text: "From a page before a reload" });
    const first = new Client(t.room, identity).hello({ page: "ana-page" });
    provider.send({ type: "send", c: identity.c, cid: "p1", text: "Sent while the welcome was in flight" });
    first.drop();

    const again = new Client(t.room, identity).hello({ page: "ana-page" });

    expect(again.texts()).toEqual(["Sent while the welcome was in flight"]);
  });
});
