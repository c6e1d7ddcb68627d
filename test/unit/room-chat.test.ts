import { describe, expect, it } from "vitest";
import { setup } from "./fakes";

describe("chat between a patient and the provider", () => {
  it("a patient's message reaches the provider with the server's seq, time, name and role", () => {
    const t = setup();
    const provider = t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    t.clock.advance(2_500);

    ana.send({ type: "send", cid: "a1", text: "I'm here for my 10:30." });

    const expected = {
      type: "msg",
      patient: ana.id,
      seq: 1,
      cid: "a1",
      from: "patient",
      name: "Ana Lima",
      text: "I'm here for my 10:30.",
      time: t.clock.now(),
      sig: expect.any(String),
    };
    expect(provider.of("msg")).toEqual([expected]);
    expect(ana.of("msg")).toEqual([expected]);
  });

  it("the provider's reply reaches the patient under the provider's name", () => {
    const t = setup();
    const provider = t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", cid: "a1", text: "Hello?" });

    provider.send({ type: "send", cid: "p1", to: ana.id, text: "I'll be with you in 5 minutes." });

    expect(ana.last("msg")).toEqual({
      type: "msg",
      patient: ana.id,
      seq: 2,
      cid: "p1",
      from: "provider",
      name: "Dr. Rivera",
      text: "I'll be with you in 5 minutes.",
      time: t.clock.now(),
      sig: expect.any(String),
    });
    expect(provider.last("msg")?.seq).toBe(2);
  });

  it.each([
    ["from", { from: "provider" }],
    ["role", { role: "provider" }],
    ["name", { name: "Dr. Rivera" }],
    ["time", { time: 0 }],
    ["seq", { seq: 99 }],
    ["patient", { patient: "someone-else" }],
  ])("a client cannot set %s: a frame with that key is rejected as bad_frame", (_key, extra) => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    ana.send({ type: "send", cid: "a1", text: "Trust me", ...extra });

    expect(ana.last("error")?.code).toBe("bad_frame");
    expect(provider.of("msg")).toEqual([]);
    expect(ana.of("msg")).toEqual([]);
  });

  it("the provider must say which patient a message is for", () => {
    const t = setup();
    const provider = t.provider();
    t.patient("Ana Lima");

    provider.send({ type: "send", cid: "p1", text: "Hello" });

    expect(provider.last("error")).toMatchObject({ code: "no_recipient", cid: "p1" });
    expect(provider.of("msg")).toEqual([]);
  });

  it("a message to a patient who is away is kept and delivered when they come back", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.drop();

    provider.send({ type: "send", cid: "p1", to: ana.id, text: "We are running late." });
    const back = t.reopen(ana, { [ana.id]: 0 });

    expect(back.texts()).toEqual(["We are running late."]);
  });

  it("answers a ping with a pong", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.clear();

    ana.send({ type: "ping" });

    expect(ana.frames).toEqual([{ type: "pong" }]);
  });
});

describe("privacy between patients", () => {
  it("a patient never receives another patient's messages or name", () => {
    const t = setup();
    const provider = t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");

    bo.send({ type: "send", cid: "b1", text: "My rash is worse" });
    provider.send({ type: "send", cid: "p1", to: bo.id, text: "Noted, Bo" });
    bo.drop();
    t.reopen(bo);
    bo.send({ type: "leave" });

    const seenByAna = ana.peer.raw.join("\n");
    expect(seenByAna).not.toContain("Bo Chen");
    expect(seenByAna).not.toContain(bo.id);
    expect(seenByAna).not.toContain("rash");
    expect(seenByAna).not.toContain("Noted");
    expect(ana.of("msg")).toEqual([]);
  });

  it("a patient cannot address another patient: `to` from a patient stays in their own conversation", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");

    ana.send({ type: "send", cid: "a1", to: bo.id, text: "Psst, Bo" });

    expect(bo.of("msg")).toEqual([]);
    expect(provider.last("msg")).toMatchObject({ patient: ana.id, from: "patient", text: "Psst, Bo" });
  });

  it("a patient never sees the queue", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    t.provider();
    t.patient("Bo Chen");

    expect(ana.of("queue")).toEqual([]);
    expect(ana.of("patient")).toEqual([]);
    expect(ana.of("patient_left")).toEqual([]);
  });
});

describe("broadcast", () => {
  it("reaches every waiting patient, each in their own conversation", () => {
    const t = setup();
    const provider = t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");
    ana.send({ type: "send", cid: "a1", text: "Hi" });

    provider.send({ type: "broadcast", cid: "all1", text: "The clinic is running 15 minutes late." });

    expect(ana.last("msg")).toMatchObject({ patient: ana.id, seq: 2, from: "provider", name: "Dr. Rivera", broadcast: true });
    expect(bo.last("msg")).toMatchObject({ patient: bo.id, seq: 1, from: "provider", name: "Dr. Rivera", broadcast: true });
    expect(bo.texts()).toEqual(["The clinic is running 15 minutes late."]);
    expect(provider.of("msg").filter((m) => m.broadcast).map((m) => m.patient)).toEqual([ana.id, bo.id]);
  });

  it("reaches a patient who is away when they come back", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.drop();

    provider.send({ type: "broadcast", cid: "all1", text: "Please keep this page open." });

    expect(t.reopen(ana, { [ana.id]: 0 }).texts()).toEqual(["Please keep this page open."]);
  });
});

describe("resent messages", () => {
  it("a message resent after a reconnect (same cid, even other text) is applied once and answered with the same seq", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", cid: "a1", text: "Did this arrive?" });
    ana.drop(); // the echo was lost with the connection

    const back = t.reopen(ana, { [ana.id]: 0 });
    back.send({ type: "send", cid: "a1", text: "Did this arrive? (edited)" });

    expect(provider.of("msg").map((m) => [m.seq, m.text])).toEqual([[1, "Did this arrive?"]]);
    expect(back.of("msg").map((m) => m.seq)).toEqual([1]);
    expect(back.last("ack")).toEqual({ type: "ack", patient: ana.id, cid: "a1", seq: 1 });
    back.send({ type: "send", cid: "a2", text: "Next" });
    expect(provider.last("msg")?.seq).toBe(2);
  });

  it("the provider's resent message and resent broadcast are applied once per patient", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");

    provider.send({ type: "send", cid: "p1", to: ana.id, text: "One" });
    provider.send({ type: "send", cid: "p1", to: ana.id, text: "One" });
    provider.send({ type: "broadcast", cid: "all", text: "Everyone" });
    provider.send({ type: "broadcast", cid: "all", text: "Everyone" });

    expect(ana.texts()).toEqual(["One", "Everyone"]);
    expect(bo.texts()).toEqual(["Everyone"]);
  });

  it("the same cid from the patient and from the provider are different messages", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    ana.send({ type: "send", cid: "same", text: "From Ana" });
    provider.send({ type: "send", cid: "same", to: ana.id, text: "From the provider" });

    expect(ana.texts()).toEqual(["From Ana", "From the provider"]);
  });
});
