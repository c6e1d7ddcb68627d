import { describe, expect, it } from "vitest";
import { Client, setup, waitingRoom } from "../../support/fakes";
import { roomTexts } from "../../support/rejoin";

// A page resends every message it saw no echo for after a reconnect. The
// room applies a client id once per sender and conversation, and answers a
// resend with an ack naming the seq the first copy got.

/** The same page reconnecting after its socket dropped before the echo of what it sent last arrived. */
const echoLost = (t: ReturnType<typeof setup>, page: Client) => t.reopen(page, { ...page.resumeState(), n: 0 });

describe("a message resent with the same client id", () => {
  it("from a patient, twice and with other text, is applied once and acked each time with its first seq", () => {
    const { t, provider, ana } = waitingRoom();
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Is the doctor running late?" });
    ana.drop();

    const back = echoLost(t, ana);
    back.send({ type: "send", c: ana.c, cid: "a1", text: "Is the doctor running late? (typo fixed)" });
    back.send({ type: "send", c: ana.c, cid: "a1", text: "Is the doctor running late?" });

    const ack = { type: "ack", c: ana.c, cid: "a1", seq: 1 };
    expect(back.of("ack")).toEqual([ack, ack]);
    expect(provider.of("msg").map((m) => [m.seq, m.text])).toEqual([[1, "Is the doctor running late?"]]);
    expect(roomTexts(t, ana.c)).toEqual(["Is the doctor running late?"]);
  });

  it("from staff is applied once: the patient gets it once and the staff page gets an ack", () => {
    const { t, provider, ana } = waitingRoom();
    provider.send({ type: "send", c: ana.c, cid: "p1", text: "Please have your insurance card ready." });
    provider.drop();

    const back = echoLost(t, provider);
    back.send({ type: "send", c: ana.c, cid: "p1", text: "Please have your insurance card ready." });

    expect(back.of("ack")).toEqual([{ type: "ack", c: ana.c, cid: "p1", seq: 1 }]);
    expect(ana.of("msg").map((m) => [m.seq, m.cid])).toEqual([[1, "p1"]]);
    expect(back.copy(ana.c).map((m) => m.cid)).toEqual(["p1"]);
  });

  it("is acked to the sending page only: the other pages of the conversation see nothing", () => {
    const { t, provider, ana } = waitingRoom();
    const anaOtherTab = t.reopen(ana);
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Hello" });
    provider.clear();
    anaOtherTab.clear();

    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Hello" });

    expect(ana.last("ack")?.seq).toBe(1);
    expect(provider.frames).toEqual([]);
    expect(anaOtherTab.frames).toEqual([]);
  });

  it("after staff erased it, is not applied again: the erased message stays gone", () => {
    const { t, provider, ana } = waitingRoom();
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "My date of birth is 1 May 1980" });
    ana.drop(); // the echo is lost: the page still holds a1 as pending
    provider.send({ type: "close", c: ana.c, upto: 1 });
    provider.clear();

    const back = echoLost(t, ana);
    back.send({ type: "send", c: ana.c, cid: "a1", text: "My date of birth is 1 May 1980" });

    expect(back.last("ack")).toEqual({ type: "ack", c: ana.c, cid: "a1", seq: 1 });
    expect(back.of("msg")).toEqual([]);
    expect(provider.of("msg")).toEqual([]);
    expect(roomTexts(t, ana.c)).toEqual([]);
  });

  it("does not hold back the numbering: the next new message takes the next seq", () => {
    const { provider, ana } = waitingRoom();
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "One" });
    provider.send({ type: "send", c: ana.c, cid: "p2", text: "Two" });

    ana.send({ type: "send", c: ana.c, cid: "a1", text: "One" });
    provider.send({ type: "send", c: ana.c, cid: "p2", text: "Two" });
    ana.send({ type: "send", c: ana.c, cid: "a3", text: "Three" });

    expect(provider.copy(ana.c).map((m) => [m.seq, m.text])).toEqual([
      [1, "One"],
      [2, "Two"],
      [3, "Three"],
    ]);
    expect(ana.copy()).toEqual(provider.copy(ana.c));
  });

  it("to two patients under the same client id is one message in each conversation, each acked once when resent", () => {
    const { t, provider, ana } = waitingRoom();
    const bo = t.patient("Bo Chen");
    provider.send({ type: "send", c: ana.c, cid: "same", text: "For Ana" });
    provider.send({ type: "send", c: bo.c, cid: "same", text: "For Bo" });

    provider.send({ type: "send", c: bo.c, cid: "same", text: "For Bo" });

    expect(ana.texts()).toEqual(["For Ana"]);
    expect(bo.texts()).toEqual(["For Bo"]);
    expect(provider.of("ack")).toEqual([{ type: "ack", c: bo.c, cid: "same", seq: 2 }]);
  });
});
