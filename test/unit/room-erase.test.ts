import { describe, expect, it } from "vitest";
import { Client, EPOCH, setup } from "./fakes";

/** A room with one provider page and one patient who have exchanged `n` messages. */
function chatting(n: number) {
  const t = setup();
  const provider = t.provider("Dr. Rivera");
  const ana = t.patient("Ana Lima");
  for (let i = 1; i <= n; i++) {
    if (i % 2) ana.send({ type: "send", cid: `a${i}`, text: `patient ${i}` });
    else provider.send({ type: "send", cid: `p${i}`, to: ana.id, text: `provider ${i}` });
  }
  return { t, provider, ana };
}

describe("erasing a conversation", () => {
  it("an erase frame removes messages up to `upto` from the room and tells the patient and the provider", () => {
    const { t, provider, ana } = chatting(3);

    provider.send({ type: "erase", patient: ana.id, upto: 3 });

    const erased = { type: "erased", patient: ana.id, upto: 3 };
    expect(ana.last("erased")).toEqual(erased);
    expect(provider.last("erased")).toEqual(erased);
    // Nothing is left to replay to a page that resumes from the start.
    expect(t.reopen(ana, { [ana.id]: 0 }).texts()).toEqual([]);
    expect(t.provider("Dr. Rivera", { [ana.id]: 0 }).texts()).toEqual([]);
  });

  it("messages after `upto` survive the erase", () => {
    const { t, provider, ana } = chatting(4);

    provider.send({ type: "erase", patient: ana.id, upto: 2 });

    expect(t.reopen(ana, { [ana.id]: 0 }).texts()).toEqual(["patient 3", "provider 4"]);
  });

  it("sequence numbers keep growing after an erase", () => {
    const { provider, ana } = chatting(2);
    provider.send({ type: "erase", patient: ana.id, upto: 2 });

    ana.send({ type: "send", cid: "a3", text: "after" });

    expect(provider.last("msg")).toMatchObject({ seq: 3, text: "after" });
  });

  it("a patient resuming after an erase is told what was erased before getting the rest", () => {
    const { t, provider, ana } = chatting(2);
    ana.drop();
    provider.send({ type: "erase", patient: ana.id, upto: 2 });
    provider.send({ type: "send", cid: "p3", to: ana.id, text: "new start" });

    const back = t.reopen(ana, { [ana.id]: 2 });

    expect(back.frames.slice(1)).toEqual([
      { type: "erased", patient: ana.id, upto: 2 },
      expect.objectContaining({ type: "msg", seq: 3, text: "new start" }),
    ]);
  });
});

describe("a provider page reload", () => {
  it("a fresh provider page erases what the previous page had been shown, and tells the patient", () => {
    const { t, provider, ana } = chatting(3);
    provider.drop();

    const reloaded = t.provider("Dr. Rivera");

    expect(reloaded.of("msg")).toEqual([]);
    expect(ana.last("erased")).toEqual({ type: "erased", patient: ana.id, upto: 3 });
    expect(t.reopen(ana, { [ana.id]: 0 }).texts()).toEqual([]);
  });

  it("a fresh provider page keeps and delivers what no provider page had seen", () => {
    const { t, provider, ana } = chatting(2);
    provider.drop();
    ana.send({ type: "send", cid: "a3", text: "Are you there?" });
    ana.send({ type: "send", cid: "a4", text: "Hello?" });

    const reloaded = t.provider("Dr. Rivera");

    expect(reloaded.texts()).toEqual(["Are you there?", "Hello?"]);
    expect(ana.last("erased")).toEqual({ type: "erased", patient: ana.id, upto: 2 });
    expect(t.reopen(ana, { [ana.id]: 0 }).texts()).toEqual(["Are you there?", "Hello?"]);
  });

  it("a message that waited for the first provider page is delivered, then erased by the next fresh page", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", cid: "a1", text: "Early bird" });

    const first = t.provider();
    expect(first.texts()).toEqual(["Early bird"]);
    first.drop();
    const second = t.provider();

    expect(second.texts()).toEqual([]);
    expect(ana.last("erased")?.upto).toBe(1);
  });

  it("a resuming provider page gets only what came after its cursor, and nothing is erased", () => {
    const { t, provider, ana } = chatting(2);
    provider.drop();
    ana.send({ type: "send", cid: "a3", text: "Still waiting" });

    const resumed = t.provider("Dr. Rivera", { [ana.id]: 2 });

    expect(resumed.of("msg").map((m) => [m.seq, m.text])).toEqual([[3, "Still waiting"]]);
    expect(ana.of("erased")).toEqual([]);
    expect(t.reopen(ana, { [ana.id]: 0 }).texts()).toEqual(["patient 1", "provider 2", "Still waiting"]);
  });

  it("a resuming provider page gets the whole conversation of a patient it had no cursor for", () => {
    const { t, provider, ana } = chatting(1);
    provider.drop();
    const bo = t.patient("Bo Chen");
    bo.send({ type: "send", cid: "b1", text: "New here" });

    const resumed = t.provider("Dr. Rivera", { [ana.id]: 1 });

    expect(resumed.of("msg").map((m) => [m.patient, m.text])).toEqual([[bo.id, "New here"]]);
  });

  it("a page from before a reset (another epoch) is no fresh page: it gets the room's whole copy and nothing is erased", () => {
    const { t, provider, ana } = chatting(2);
    provider.drop();

    const stale = new Client(t.room, provider.identity).hello({ epoch: `not-${EPOCH}`, cursors: { [ana.id]: 2 } });

    expect(stale.texts()).toEqual(["patient 1", "provider 2"]);
    expect(ana.of("erased")).toEqual([]);
  });
});

describe("a patient page", () => {
  it("a fresh patient page starts with an empty conversation", () => {
    const { t, ana } = chatting(2);
    ana.drop();

    expect(t.reopen(ana).texts()).toEqual([]);
  });

  it("a resuming patient page gets only what it missed, in order", () => {
    const { t, provider, ana } = chatting(2);
    ana.drop();
    provider.send({ type: "send", cid: "p3", to: ana.id, text: "three" });
    provider.send({ type: "send", cid: "p4", to: ana.id, text: "four" });

    const back = t.reopen(ana, { [ana.id]: 2 });

    expect(back.of("msg").map((m) => m.seq)).toEqual([3, 4]);
    expect(back.of("erased")).toEqual([]);
  });
});
