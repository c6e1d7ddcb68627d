import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type ChatMessage } from "../../worker/protocol";
import type { Room } from "../../worker/room";
import { Client, EPOCH, setup, waitingRoom } from "./fakes";

const SCRIPT = ["Hi, I'm checked in.", "Thanks, Ana. About ten minutes.", "OK, I'll wait.", "Ready for you now."];

/** Ana and the provider take turns through the first `n` lines of SCRIPT (seq 1..n); then Ana's page drops. */
function afterBlip(n: number) {
  const { t, provider, ana } = waitingRoom();
  SCRIPT.slice(0, n).forEach((text, i) =>
    i % 2 === 0 ? ana.send({ type: "send", cid: `a${i}`, text }) : provider.send({ type: "send", cid: `p${i}`, to: ana.id, text }),
  );
  const held = ana.copy();
  ana.drop();
  return { t, provider, ana, held };
}

/** Ana and Bo have each written once; the provider's page drops; then `after` runs. */
function providerAway(after: (ana: Client, bo: Client) => void) {
  const { t, provider, ana } = waitingRoom();
  const bo = t.patient("Bo Chen");
  ana.send({ type: "send", cid: "a1", text: "ana 1" });
  bo.send({ type: "send", cid: "b1", text: "bo 1" });
  provider.drop();
  after(ana, bo);
  return { t, provider, ana, bo };
}

const seqs = (msgs: readonly ChatMessage[]) => msgs.map((m) => m.seq);

/** A page of `who` saying hello with a resume frame as sent, even one the schema cannot type. */
function resumeWith(room: Room, who: Client, cursors: Record<string, unknown>): Client {
  const page = new Client(room, who.identity);
  page.send({ type: "hello", v: PROTOCOL_VERSION, resume: { epoch: EPOCH, cursors } });
  return page;
}

describe("a page resuming with the last seq it holds", () => {
  it("gets nothing but its welcome when it missed nothing", () => {
    const { t, ana } = afterBlip(3);

    const back = t.reopen(ana, { [ana.id]: 3 });

    expect(back.frames.map((f) => f.type)).toEqual(["welcome"]);
  });

  it("gets exactly the messages it missed, once each and in order, before any live message", () => {
    const { t, provider, ana, held } = afterBlip(2);
    provider.send({ type: "send", cid: "p3", to: ana.id, text: "Are you still there?" });
    t.patient("Bo Chen"); // traffic in another conversation is not Ana's business
    provider.send({ type: "send", cid: "p4", to: ana.id, text: "Ana?" });

    const back = t.reopen(ana, { [ana.id]: 2 });
    provider.send({ type: "send", cid: "p5", to: ana.id, text: "There you are." });

    expect(back.frames.map((f) => (f.type === "msg" ? f.seq : f.type))).toEqual(["welcome", 3, 4, 5]);
    expect(back.copy(ana.id, held)).toEqual(provider.copy(ana.id));
  });

  it("a provider page gets, per patient, what it missed after its cursor for that patient", () => {
    const { t, ana, bo } = providerAway((ana, bo) => {
      ana.send({ type: "send", cid: "a2", text: "ana 2" });
      bo.send({ type: "send", cid: "b2", text: "bo 2" });
      bo.send({ type: "send", cid: "b3", text: "bo 3" });
    });

    const back = t.provider("Dr. Rivera", { [ana.id]: 1, [bo.id]: 1 });

    expect(back.of("msg").map((m) => m.text)).toEqual(["ana 2", "bo 2", "bo 3"]);
    expect(back.of("resync")).toEqual([]);
  });
});

describe("a page resuming with a cursor the room never issued", () => {
  it("from the future gets a resync, then the whole conversation once", () => {
    const { t, provider, ana, held } = afterBlip(3);

    const back = t.reopen(ana, { [ana.id]: 42 });

    expect(back.frames.map((f) => (f.type === "msg" ? f.seq : f.type))).toEqual(["welcome", "resync", 1, 2, 3]);
    expect(back.copy(ana.id, held)).toEqual(provider.copy(ana.id));
  });

  it("from before the room started (a reset) gets the whole conversation and keeps its own copy: no resync", () => {
    const t = setup({ seqBase: 1000 });
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", cid: "a1", text: "one" });
    ana.send({ type: "send", cid: "a2", text: "two" });

    const back = t.reopen(ana, { [ana.id]: 500 });

    expect(back.frames.map((f) => (f.type === "msg" ? f.seq : f.type))).toEqual(["welcome", 1001, 1002]);
    expect(back.copy()).toEqual(provider.copy(ana.id));
  });

  it.each([
    ["negative", -1],
    ["a fraction", 1.5],
    ["a string", "2"],
    ["beyond safe integers", 2 ** 53 + 2],
    ["huge", 1e300],
    ["null", null],
    ["an object", { seq: 2 }],
  ])("that is %s gets a resync, then the whole conversation", (_kind, cursor) => {
    const { t, provider, ana, held } = afterBlip(3);

    const back = resumeWith(t.room, ana, { [ana.id]: cursor });

    expect(back.frames.map((f) => (f.type === "msg" ? f.seq : f.type))).toEqual(["welcome", "resync", 1, 2, 3]);
    expect(back.copy(ana.id, held)).toEqual(provider.copy(ana.id));
  });

  it("a provider page gets a resync for that patient only, and the others resume normally", () => {
    const { t, provider, ana, bo } = providerAway((_ana, bo) => bo.send({ type: "send", cid: "b2", text: "bo 2" }));

    const back = resumeWith(t.room, provider, { [ana.id]: "1", [bo.id]: 1 });

    expect(back.of("resync")).toEqual([{ type: "resync", patient: ana.id }]);
    expect(back.of("msg").map((m) => m.text)).toEqual(["ana 1", "bo 2"]);
    expect(seqs(back.copy(ana.id))).toEqual(seqs(provider.copy(ana.id)));
  });
});

describe("a provider page whose first connection dropped", () => {
  // The page got no welcome, so it knows no epoch and says hello as a fresh
  // page again; its page id tells the room it is the same page, not a reload.
  it("does not erase messages it never received", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", cid: "a1", text: "I'm in the waiting room" });
    const providerIdentity = { role: "provider" as const, id: "provider", name: "Dr. Rivera" };
    const first = new Client(t.room, providerIdentity);
    first.send({ type: "hello", v: PROTOCOL_VERSION, page: "page-1" });
    first.drop(); // everything it was sent, welcome included, was in flight

    const again = new Client(t.room, providerIdentity);
    again.send({ type: "hello", v: PROTOCOL_VERSION, page: "page-1" });

    expect(ana.of("erased")).toEqual([]);
    expect(again.texts()).toEqual(["I'm in the waiting room"]);
  });

  it("a reload (another page id) still erases what the first page was sent", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", cid: "a1", text: "I'm in the waiting room" });
    const providerIdentity = { role: "provider" as const, id: "provider", name: "Dr. Rivera" };
    new Client(t.room, providerIdentity).send({ type: "hello", v: PROTOCOL_VERSION, page: "page-1" });

    const reloaded = new Client(t.room, providerIdentity);
    reloaded.send({ type: "hello", v: PROTOCOL_VERSION, page: "page-2" });

    expect(ana.of("erased")).toHaveLength(1);
    expect(reloaded.texts()).toEqual([]);
  });
});

describe("a patient page whose first connection dropped", () => {
  it("gets what it was sent while its welcome was lost, and nothing from before it opened", () => {
    const t = setup();
    const provider = t.provider();
    const identity = t.patientIdentity("Ana Lima");
    t.room.admit(identity);
    const before = new Client(t.room, identity).hello();
    before.send({ type: "send", cid: "a0", text: "From a page before a reload" });
    const first = new Client(t.room, identity);
    first.send({ type: "hello", v: PROTOCOL_VERSION, page: "ana-page" });
    provider.send({ type: "send", cid: "p1", to: identity.id, text: "Sent while the welcome was in flight" });
    first.drop();

    const again = new Client(t.room, identity);
    again.send({ type: "hello", v: PROTOCOL_VERSION, page: "ana-page" });

    expect(again.texts()).toEqual(["Sent while the welcome was in flight"]);
  });
});
