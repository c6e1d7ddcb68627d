import { describe, expect, it } from "vitest";
import { LIMITS } from "../../../protocol/wire";
import { setup } from "../../support/fakes";

/** A marker that must never come back in any frame the server sends. */
const SECRET = "7f3a-do-not-echo";

describe("chat between a patient and staff", () => {
  it("a patient's message reaches the staff page with the server's seq, time, name and role", () => {
    const t = setup();
    const provider = t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    t.clock.advance(2_500);

    ana.send({ type: "send", c: ana.c, cid: "a1", text: "I'm here for my 10:30." });

    const expected = {
      type: "msg",
      c: ana.c,
      seq: 1,
      n: 1,
      cid: "a1",
      by: ana.id,
      name: "Ana Lima",
      role: "patient",
      text: "I'm here for my 10:30.",
      time: t.clock.now(),
      sig: expect.any(String),
    };
    expect(provider.of("msg")).toEqual([expected]);
    expect(ana.of("msg")).toEqual([expected]);
  });

  it("a message reaches the people it is for before the writer's own pages get their echo, both ways", () => {
    const t = setup();
    const provider = t.provider("Dr. Rivera");
    const desk = t.staff("Sam Front", "staff");
    const ana = t.patient("Ana Lima");
    const order: string[] = [];
    for (const [who, client] of [["provider", provider], ["desk", desk], ["ana", ana]] as const) {
      const send = client.peer.send.bind(client.peer);
      client.peer.send = (data) => {
        if (data.startsWith('{"type":"msg"')) order.push(who);
        send(data);
      };
    }

    ana.send({ type: "send", c: ana.c, cid: "a1", text: "I'm here." });
    expect(order).toEqual(["provider", "desk", "ana"]);

    order.length = 0;
    provider.send({ type: "send", c: ana.c, cid: "p1", text: "Coming." });
    expect(order).toEqual(["ana", "desk", "provider"]);
  });

  it("a staff reply reaches the patient under the writer's own name and role", () => {
    const t = setup();
    const provider = t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Hello?" });

    provider.send({ type: "send", c: ana.c, cid: "p1", text: "I'll be with you in 5 minutes." });

    expect(ana.last("msg")).toEqual({
      type: "msg",
      c: ana.c,
      seq: 2,
      n: 2,
      cid: "p1",
      by: provider.id,
      name: "Dr. Rivera",
      role: "host",
      text: "I'll be with you in 5 minutes.",
      time: t.clock.now(),
      sig: expect.any(String),
    });
    expect(provider.last("msg")?.seq).toBe(2);
  });

  it("the patient sees which staff member wrote: a front-desk colleague's reply carries their name and role", () => {
    const t = setup();
    t.provider("Dr. Rivera");
    const desk = t.staff("Sam Front", "staff");
    const ana = t.patient("Ana Lima");

    desk.send({ type: "send", c: ana.c, cid: "d1", text: "The doctor is on her way." });

    expect(ana.last("msg")).toMatchObject({ by: desk.id, name: "Sam Front", role: "staff" });
  });

  it.each([
    ["by", { by: "staff-dr-rivera-000000" }],
    ["role", { role: "host" }],
    ["name", { name: "Dr. Rivera" }],
    ["time", { time: 0 }],
    ["seq", { seq: 99 }],
    ["arrival number", { n: 99 }],
    ["signature", { sig: "forged" }],
    ["to-everyone mark", { all: true }],
  ])("a client cannot set the %s: a frame with that key is rejected as bad_frame", (_key, extra) => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Trust me", ...extra });

    expect(ana.last("error")?.code).toBe("bad_frame");
    expect(provider.of("msg")).toEqual([]);
    expect(ana.of("msg")).toEqual([]);
  });

  it("a message must name its conversation", () => {
    const t = setup();
    const provider = t.provider();
    t.patient("Ana Lima");

    provider.send({ type: "send", cid: "p1", text: "Hello" });

    expect(provider.last("error")?.code).toBe("bad_frame");
    expect(provider.of("msg")).toEqual([]);
  });

  it("a message to a conversation the room does not have is refused with recipient_left and its cid", () => {
    const t = setup();
    const provider = t.provider();

    provider.send({ type: "send", c: "no-such-conversation", cid: "p1", text: "Hello" });

    expect(provider.last("error")).toMatchObject({ code: "recipient_left", cid: "p1", c: "no-such-conversation" });
    expect(provider.of("msg")).toEqual([]);
  });

  it("a message to a patient who is away is kept and delivered when their page comes back", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.drop();

    provider.send({ type: "send", c: ana.c, cid: "p1", text: "We are running late." });
    const back = t.resume(ana);

    expect(back.texts()).toEqual(["We are running late."]);
  });

  it("a message written while no staff page is open is marked as such and reaches the first staff page", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");

    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Anyone there?" });
    const provider = t.provider();

    expect(provider.of("msg")).toEqual([expect.objectContaining({ text: "Anyone there?", q: true })]);
  });

  it("answers a ping with a pong", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.clear();

    ana.send({ type: "ping" });

    expect(ana.frames).toEqual([{ type: "pong" }]);
  });
});

describe("message text", () => {
  it(`a message over ${LIMITS.textChars} characters is refused as bad_text, with its cid so the page can mark it`, () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    ana.send({ type: "send", c: ana.c, cid: "long1", text: SECRET + "x".repeat(LIMITS.textChars) });

    expect(ana.last("error")).toEqual({ type: "error", code: "bad_text", cid: "long1", message: expect.any(String) });
    expect(ana.peer.raw.join("")).not.toContain(SECRET);
    expect(provider.of("msg")).toEqual([]);
  });

  it(`a message of exactly ${LIMITS.textChars} characters is delivered`, () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    ana.send({ type: "send", c: ana.c, cid: "max1", text: "y".repeat(LIMITS.textChars) });

    expect(provider.last("msg")?.text).toHaveLength(LIMITS.textChars);
  });

  it("a blank message is refused as bad_text", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");

    ana.send({ type: "send", c: ana.c, cid: "blank", text: " \n\t " });

    expect(ana.last("error")).toMatchObject({ code: "bad_text", cid: "blank" });
    expect(ana.of("msg")).toEqual([]);
  });
});

describe("privacy between patients", () => {
  it("a patient never receives another patient's messages or name", () => {
    const t = setup();
    const provider = t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");

    bo.send({ type: "send", c: bo.c, cid: "b1", text: "My rash is worse" });
    provider.send({ type: "send", c: bo.c, cid: "p1", text: "Noted, Bo" });
    bo.drop();
    t.reopen(bo).send({ type: "leave" });

    const seenByAna = ana.peer.raw.join("\n");
    expect(seenByAna).not.toContain("Bo Chen");
    expect(seenByAna).not.toContain(bo.id);
    expect(seenByAna).not.toContain(bo.c);
    expect(seenByAna).not.toContain("rash");
    expect(seenByAna).not.toContain("Noted");
    expect(ana.of("msg")).toEqual([]);
  });

  it("a patient cannot write into another patient's conversation", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");

    ana.send({ type: "send", c: bo.c, cid: "a1", text: "Psst, Bo" });

    expect(ana.last("error")).toMatchObject({ code: "recipient_left", cid: "a1" });
    expect(bo.of("msg")).toEqual([]);
    expect(provider.of("msg")).toEqual([]);
  });

  it("a patient never sees the queue, the staff list or who is viewing which chat", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const provider = t.provider();
    const bo = t.patient("Bo Chen");
    provider.send({ type: "view", c: bo.c });
    t.staff("Sam Front", "staff");

    for (const type of ["queue", "patient", "patient_left", "staff_list", "staff_member", "viewers"] as const) expect(ana.of(type)).toEqual([]);
  });
});

describe("a message to everyone waiting", () => {
  it("reaches every waiting patient in their own conversation, and each staff page as one frame", () => {
    const t = setup();
    const provider = t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Hi" });

    provider.send({ type: "broadcast", cid: "all1", text: "The clinic is running 15 minutes late." });

    const common = { seq: 2, by: provider.id, name: "Dr. Rivera", role: "host", all: true, text: "The clinic is running 15 minutes late." };
    expect(ana.last("msg")).toMatchObject({ c: ana.c, ...common });
    expect(bo.last("msg")).toMatchObject({ c: bo.c, ...common });
    expect(bo.texts()).toEqual(["The clinic is running 15 minutes late."]);
    expect(provider.of("broadcast")).toEqual([expect.objectContaining(common)]);
    expect(provider.copy(ana.c).map((m) => m.text)).toEqual(["Hi", "The clinic is running 15 minutes late."]);
    expect(provider.copy(bo.c).map((m) => m.text)).toEqual(["The clinic is running 15 minutes late."]);
  });

  it("reaches a patient who is away when their page comes back", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.drop();

    provider.send({ type: "broadcast", cid: "all1", text: "Please keep this page open." });

    expect(t.resume(ana).texts()).toEqual(["Please keep this page open."]);
  });

  it("does not reach a patient in a text-only session", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");
    provider.send({ type: "start_session", c: ana.c });

    provider.send({ type: "broadcast", cid: "all1", text: "Running late." });

    expect(ana.texts()).toEqual([]);
    expect(bo.texts()).toEqual(["Running late."]);
  });
});

describe("resent messages", () => {
  it("a message resent after a reconnect (same cid, even other text) is applied once and answered with the same seq", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Did this arrive?" });
    const resume = ana.resumeState();
    ana.drop();
    ana.clear(); // the echo was lost with the connection

    const back = t.reopen(ana, { ...resume, n: 0 });
    back.send({ type: "send", c: ana.c, cid: "a1", text: "Did this arrive? (edited)" });

    expect(provider.of("msg").map((m) => [m.seq, m.text])).toEqual([[1, "Did this arrive?"]]);
    expect(back.of("msg").map((m) => m.seq)).toEqual([1]);
    expect(back.last("ack")).toEqual({ type: "ack", c: ana.c, cid: "a1", seq: 1 });
    back.send({ type: "send", c: ana.c, cid: "a2", text: "Next" });
    expect(provider.last("msg")?.seq).toBe(2);
  });

  it("a staff member's resent message and resent message to everyone are applied once per patient", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");

    provider.send({ type: "send", c: ana.c, cid: "p1", text: "One" });
    provider.send({ type: "send", c: ana.c, cid: "p1", text: "One" });
    provider.send({ type: "broadcast", cid: "all", text: "Everyone" });
    provider.send({ type: "broadcast", cid: "all", text: "Everyone" });

    expect(ana.texts()).toEqual(["One", "Everyone"]);
    expect(bo.texts()).toEqual(["Everyone"]);
    expect(provider.of("broadcast")).toHaveLength(1);
  });

  it("the same cid from the patient and from staff are different messages", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    ana.send({ type: "send", c: ana.c, cid: "same", text: "From Ana" });
    provider.send({ type: "send", c: ana.c, cid: "same", text: "From the provider" });

    expect(ana.texts()).toEqual(["From Ana", "From the provider"]);
  });
});
