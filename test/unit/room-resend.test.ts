import { describe, expect, it } from "vitest";
import { waitingRoom } from "./fakes";

// A page resends every message it saw no echo for after a reconnect. The
// room applies a client id once per sender and conversation, and answers a
// resend with an ack naming the seq the first copy got.

describe("a message resent with the same client id", () => {
  it("from a patient, twice and with other text, is applied once and acked each time with its first seq", () => {
    const { t, provider, ana } = waitingRoom();
    ana.send({ type: "send", cid: "a1", text: "Is the doctor running late?" });
    ana.drop();

    const back = t.reopen(ana, { [ana.id]: 0 });
    back.send({ type: "send", cid: "a1", text: "Is the doctor running late? (typo fixed)" });
    back.send({ type: "send", cid: "a1", text: "Is the doctor running late?" });

    const ack = { type: "ack", patient: ana.id, cid: "a1", seq: 1 };
    expect(back.of("ack")).toEqual([ack, ack]);
    expect(provider.of("msg").map((m) => [m.seq, m.text])).toEqual([[1, "Is the doctor running late?"]]);
    expect(t.reopen(ana, { [ana.id]: 0 }).texts()).toEqual(["Is the doctor running late?"]);
  });

  it("from the provider is applied once: the patient gets it once and the provider page gets an ack", () => {
    const { t, provider, ana } = waitingRoom();
    provider.send({ type: "send", cid: "p1", to: ana.id, text: "Please have your insurance card ready." });
    provider.drop();

    const back = t.provider("Dr. Rivera", { [ana.id]: 0 });
    back.send({ type: "send", cid: "p1", to: ana.id, text: "Please have your insurance card ready." });

    expect(back.of("ack")).toEqual([{ type: "ack", patient: ana.id, cid: "p1", seq: 1 }]);
    expect(ana.of("msg").map((m) => [m.seq, m.cid])).toEqual([[1, "p1"]]);
    expect(back.copy(ana.id).map((m) => m.cid)).toEqual(["p1"]);
  });

  it("is acked to the sending page only: the other pages of the conversation see nothing", () => {
    const { t, provider, ana } = waitingRoom();
    const anaOtherTab = t.reopen(ana);
    ana.send({ type: "send", cid: "a1", text: "Hello" });
    provider.clear();
    anaOtherTab.clear();

    ana.send({ type: "send", cid: "a1", text: "Hello" });

    expect(ana.last("ack")?.seq).toBe(1);
    expect(provider.frames).toEqual([]);
    expect(anaOtherTab.frames).toEqual([]);
  });

  it("after the provider erased it, is not applied again: the erased message stays gone", () => {
    const { t, provider, ana } = waitingRoom();
    ana.send({ type: "send", cid: "a1", text: "My date of birth is 1 May 1980" });
    ana.drop(); // the echo is lost: the page still holds a1 as pending
    provider.send({ type: "erase", patient: ana.id, upto: 1 });
    provider.clear();

    const back = t.reopen(ana, { [ana.id]: 0 });
    back.send({ type: "send", cid: "a1", text: "My date of birth is 1 May 1980" });

    expect(back.last("ack")).toEqual({ type: "ack", patient: ana.id, cid: "a1", seq: 1 });
    expect(back.of("msg")).toEqual([]);
    expect(provider.of("msg")).toEqual([]);
    expect(t.provider("Dr. Rivera", { [ana.id]: 0 }).of("msg")).toEqual([]);
  });

  it("does not hold back the numbering: the next new message takes the next seq", () => {
    const { provider, ana } = waitingRoom();
    ana.send({ type: "send", cid: "a1", text: "One" });
    provider.send({ type: "send", cid: "p2", to: ana.id, text: "Two" });

    ana.send({ type: "send", cid: "a1", text: "One" });
    provider.send({ type: "send", cid: "p2", to: ana.id, text: "Two" });
    ana.send({ type: "send", cid: "a3", text: "Three" });

    expect(provider.copy(ana.id).map((m) => [m.seq, m.text])).toEqual([[1, "One"], [2, "Two"], [3, "Three"]]);
    expect(ana.copy()).toEqual(provider.copy(ana.id));
  });

  it("to two patients under the same client id is one message in each conversation, each acked once when resent", () => {
    const { t, provider, ana } = waitingRoom();
    const bo = t.patient("Bo Chen");
    provider.send({ type: "send", cid: "same", to: ana.id, text: "For Ana" });
    provider.send({ type: "send", cid: "same", to: bo.id, text: "For Bo" });

    provider.send({ type: "send", cid: "same", to: bo.id, text: "For Bo" });

    expect(ana.texts()).toEqual(["For Ana"]);
    expect(bo.texts()).toEqual(["For Bo"]);
    expect(provider.of("ack")).toEqual([{ type: "ack", patient: bo.id, cid: "same", seq: 1 }]);
  });
});
