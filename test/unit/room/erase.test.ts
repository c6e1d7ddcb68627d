import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../../protocol/wire";
import { Client, setup } from "../../support/fakes";
import { roomTexts } from "../../support/rejoin";

/** A room with one staff page and one patient who have exchanged `n` messages (seq 1..n). */
function chatting(n: number) {
  const t = setup();
  const provider = t.provider("Dr. Rivera");
  const ana = t.patient("Ana Lima");
  for (let i = 1; i <= n; i++) {
    if (i % 2) ana.send({ type: "send", c: ana.c, cid: `a${i}`, text: `patient ${i}` });
    else provider.send({ type: "send", c: ana.c, cid: `p${i}`, text: `provider ${i}` });
  }
  return { t, provider, ana };
}

describe("closing a patient's chat", () => {
  it("erases it up to `upto` in the room, and tells the patient and the staff page", () => {
    const { t, provider, ana } = chatting(3);

    provider.send({ type: "close", c: ana.c, upto: 3 });

    const erased = { type: "erased", c: ana.c, upto: 3 };
    expect(ana.last("erased")).toEqual(erased);
    expect(provider.last("erased")).toEqual(erased);
    // Nothing is left to send to a page that resumes from the start.
    expect(t.reopen(ana, { ...ana.resumeState(), n: 0 }).texts()).toEqual([]);
    expect(t.reopen(provider, { ...provider.resumeState(), n: 0 }).texts()).toEqual([]);
    expect(roomTexts(t, ana.c)).toEqual([]);
  });

  it("keeps the messages after `upto`", () => {
    const { t, provider, ana } = chatting(4);

    provider.send({ type: "close", c: ana.c, upto: 2 });

    expect(roomTexts(t, ana.c)).toEqual(["patient 3", "provider 4"]);
  });

  it("never erases a message that did not exist yet: `upto` beyond the latest seq stops at the latest", () => {
    const { t, provider, ana } = chatting(2);

    provider.send({ type: "close", c: ana.c, upto: 1_000 });
    ana.send({ type: "send", c: ana.c, cid: "a3", text: "written after the close" });

    expect(ana.last("erased")?.upto).toBe(2);
    expect(roomTexts(t, ana.c)).toEqual(["written after the close"]);
  });

  it("sequence numbers keep growing after an erase", () => {
    const { provider, ana } = chatting(2);
    provider.send({ type: "close", c: ana.c, upto: 2 });

    ana.send({ type: "send", c: ana.c, cid: "a3", text: "after" });

    expect(provider.last("msg")).toMatchObject({ seq: 3, text: "after" });
  });

  it("a patient's page resuming after an erase is told what was erased before getting the rest", () => {
    const { t, provider, ana } = chatting(2);
    const resume = ana.resumeState();
    ana.drop();
    provider.send({ type: "close", c: ana.c, upto: 2 });
    provider.send({ type: "send", c: ana.c, cid: "p3", text: "new start" });

    const back = t.reopen(ana, resume);

    expect(back.frames.slice(1)).toEqual([{ type: "erased", c: ana.c, upto: 2 }, expect.objectContaining({ type: "msg", seq: 3, text: "new start" })]);
  });

  it("of a patient who has left only tells this person's pages to drop it", () => {
    const { t, provider, ana } = chatting(2);
    const otherTab = t.reopen(provider);
    const desk = t.staff("Sam Front", "staff");
    ana.send({ type: "leave" });
    desk.clear();

    provider.send({ type: "close", c: ana.c, upto: 2 });

    const mine = { type: "erased", c: ana.c, upto: 2, mine: true };
    expect(provider.last("erased")).toEqual(mine);
    expect(otherTab.last("erased")).toEqual(mine);
    expect(desk.frames).toEqual([]);
  });
});

describe("a staff page reload", () => {
  it("a fresh staff page erases what the previous page had been shown, and tells the patient", () => {
    const { t, provider, ana } = chatting(3);
    provider.drop();

    const reloaded = t.provider("Dr. Rivera");

    expect(reloaded.of("msg")).toEqual([]);
    expect(ana.last("erased")).toEqual({ type: "erased", c: ana.c, upto: 3 });
    expect(roomTexts(t, ana.c)).toEqual([]);
  });

  it("a fresh staff page keeps and delivers what no staff page had been shown", () => {
    const { t, provider, ana } = chatting(2);
    provider.drop();
    ana.send({ type: "send", c: ana.c, cid: "a3", text: "Are you there?" });
    ana.send({ type: "send", c: ana.c, cid: "a4", text: "Hello?" });

    const reloaded = t.provider("Dr. Rivera");

    expect(reloaded.texts()).toEqual(["Are you there?", "Hello?"]);
    expect(ana.last("erased")).toEqual({ type: "erased", c: ana.c, upto: 2 });
    expect(roomTexts(t, ana.c)).toEqual(["Are you there?", "Hello?"]);
  });

  it("a message that waited for the first staff page is delivered, then erased by the next fresh page", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Early bird" });

    const first = t.provider();
    expect(first.texts()).toEqual(["Early bird"]);
    first.drop();
    const second = t.provider();

    expect(second.texts()).toEqual([]);
    expect(ana.last("erased")?.upto).toBe(1);
  });

  it("a resuming staff page gets only what came after the last message it got, and nothing is erased", () => {
    const { t, provider, ana } = chatting(2);
    provider.drop();
    ana.send({ type: "send", c: ana.c, cid: "a3", text: "Still waiting" });

    const resumed = t.resume(provider);

    expect(resumed.of("msg").map((m) => [m.seq, m.text])).toEqual([[3, "Still waiting"]]);
    expect(ana.of("erased")).toEqual([]);
    expect(roomTexts(t, ana.c)).toEqual(["patient 1", "provider 2", "Still waiting"]);
  });

  it("a resuming staff page gets the whole conversation of a patient who checked in while it was away", () => {
    const { t, provider } = chatting(1);
    provider.drop();
    const bo = t.patient("Bo Chen");
    bo.send({ type: "send", c: bo.c, cid: "b1", text: "New here" });

    const resumed = t.resume(provider);

    expect(resumed.last("queue")?.patients.map((p) => p.name)).toEqual(["Ana Lima", "Bo Chen"]);
    expect(resumed.of("msg").map((m) => [m.c, m.text])).toEqual([[bo.c, "New here"]]);
  });

  it("a page from before a reset (another epoch) is no fresh page: it gets the room's whole copy and nothing is erased", () => {
    const { t, provider, ana } = chatting(2);
    const resume = provider.resumeState();
    provider.drop();

    const stale = new Client(t.room, provider.identity).hello({ resume: { ...resume, epoch: "an-earlier-epoch" } });

    expect(stale.texts()).toEqual(["patient 1", "provider 2"]);
    expect(ana.of("erased")).toEqual([]);
  });

  it("a fresh page while another page of the same person is open erases nothing", () => {
    const { t, ana } = chatting(2);

    const secondTab = t.provider("Dr. Rivera");

    expect(ana.of("erased")).toEqual([]);
    expect(secondTab.texts()).toEqual(["patient 1", "provider 2"]);
  });

  it("a hello without a pass is a fresh page, whatever it claims to resume from", () => {
    const { t, provider, ana } = chatting(2);
    provider.drop();

    const crafted = new Client(t.room, provider.identity);
    crafted.send({ type: "hello", v: PROTOCOL_VERSION, resume: { pass: "not-a-pass", epoch: t.room.epoch, n: 0 } });

    expect(crafted.texts()).toEqual([]);
    expect(ana.last("erased")?.upto).toBe(2);
  });
});

describe("a patient's page", () => {
  it("a fresh patient page starts with an empty conversation", () => {
    const { t, ana } = chatting(2);
    ana.drop();

    expect(t.reopen(ana).texts()).toEqual([]);
  });

  it("a resuming patient page gets only what it missed, in order", () => {
    const { t, provider, ana } = chatting(2);
    ana.drop();
    provider.send({ type: "send", c: ana.c, cid: "p3", text: "three" });
    provider.send({ type: "send", c: ana.c, cid: "p4", text: "four" });

    const back = t.resume(ana);

    expect(back.of("msg").map((m) => m.seq)).toEqual([3, 4]);
    expect(back.of("erased")).toEqual([]);
  });
});
