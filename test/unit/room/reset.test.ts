import { describe, expect, it } from "vitest";
import { seedFrames } from "../../../client/room/replica";
import type { ChatMessage } from "../../../protocol/wire";
import { Room, type RoomOptions } from "../../../worker/room/room";
import { Client, FakeClock, GRACE_MS, setup, sign, waitingRoom } from "../../support/fakes";
import { heldBy, patientRejoins, records, roomCopy, roomTexts, staffRejoins, texts, type Held } from "../../support/rejoin";

// A reset (a deploy, an eviction) loses the room's memory. The browsers are
// the replicas: pages from before it resume with their pass, get what the
// new room has, and hand back their copies (seed frames).

/**
 * Ana and Bo chat with the provider; the provider's page goes offline and
 * Ana writes once more, so only her page holds her last message. Then the
 * room is reset.
 */
function resetMidConversation(options: Partial<RoomOptions> = {}) {
  const t = setup(options);
  const provider = t.provider();
  const ana = t.patient("Ana Lima");
  t.clock.advance(60_000);
  const bo = t.patient("Bo Chen");
  ana.send({ type: "send", c: ana.c, cid: "a1", text: "Hi, I'm here." });
  provider.send({ type: "send", c: ana.c, cid: "p1", text: "Welcome, Ana." });
  bo.send({ type: "send", c: bo.c, cid: "b1", text: "Hello from Bo." });
  provider.drop();
  ana.send({ type: "send", c: ana.c, cid: "a2", text: "Are you still there?" });
  const held = { provider: heldBy(t, provider), ana: ana.copy(), bo: bo.copy() };
  const before = t.room;
  t.reset();
  return { t, provider, ana, bo, held, before };
}

describe("after a reset, pages hand back their copies", () => {
  it.each(["the provider", "the patients"])("the provider's transcript is complete again, whoever reconnects first (%s)", (first) => {
    const { t, provider, ana, bo, held } = resetMidConversation();

    let back: Client;
    let anaPage: Client;
    if (first === "the provider") {
      back = staffRejoins(t, provider, held.provider);
      anaPage = patientRejoins(t, ana, held.ana);
      patientRejoins(t, bo, held.bo);
    } else {
      anaPage = patientRejoins(t, ana, held.ana);
      patientRejoins(t, bo, held.bo);
      back = staffRejoins(t, provider, held.provider);
    }

    const providerAna = back.copy(ana.c, held.provider[0].messages);
    expect(texts(providerAna)).toEqual(["Hi, I'm here.", "Welcome, Ana.", "Are you still there?"]);
    expect(texts(back.copy(bo.c, held.provider[1].messages))).toEqual(["Hello from Bo."]);
    expect(records(anaPage.copy(ana.c, held.ana))).toEqual(records(providerAna));
    expect(records(roomCopy(t, ana.c))).toEqual(records(providerAna));
    expect([...back.of("error"), ...anaPage.of("error")]).toEqual([]);
  });

  it("a message that only the patient's page held reaches the staff page", () => {
    const { t, provider, ana, held } = resetMidConversation();
    const back = staffRejoins(t, provider, held.provider);
    back.clear();

    patientRejoins(t, ana, held.ana);

    expect(back.of("msg").map((m) => m.text)).toEqual(["Are you still there?"]);
  });

  it("new messages are numbered above every message from before the reset, so every copy keeps them last", () => {
    const { t, provider, ana, held, before } = resetMidConversation({ seqBase: undefined });
    const back = staffRejoins(t, provider, held.provider);
    const anaPage = patientRejoins(t, ana, held.ana);

    anaPage.send({ type: "send", c: ana.c, cid: "a3", text: "After the reset" });
    back.send({ type: "send", c: ana.c, cid: "p2", text: "Still here" });

    const oldest = Math.max(...held.ana.map((m) => m.seq));
    expect(t.room.epoch).not.toBe(before.epoch);
    const added = back.of("msg").filter((m) => m.cid === "a3" || m.cid === "p2");
    expect(added).toHaveLength(2);
    for (const m of added) expect(m.seq).toBeGreaterThan(oldest);
    const copy = back.copy(ana.c, held.provider[0].messages);
    expect(texts(copy)).toEqual(["Hi, I'm here.", "Welcome, Ana.", "Are you still there?", "After the reset", "Still here"]);
    expect(records(anaPage.copy(ana.c, held.ana))).toEqual(records(copy));
  });

  it("a message resent after the reset and handed back under its old seq is kept once, under its new seq", () => {
    const { t, provider, ana, held } = resetMidConversation();
    // Ana's page never saw the echo of a2: it is pending there, not in her copy.
    const anaHeld = held.ana.filter((m) => m.cid !== "a2");
    const anaPage = patientRejoins(t, ana, anaHeld);
    anaPage.send({ type: "send", c: ana.c, cid: "a2", text: "Are you still there?" });
    const resent = anaPage.last("msg")!;

    const back = staffRejoins(t, provider, [{ ...held.provider[0], messages: held.ana }]);

    const copy = back.copy(ana.c, held.ana);
    expect(copy.filter((m) => m.cid === "a2")).toEqual([resent]);
    expect(records(anaPage.copy(ana.c, anaHeld))).toEqual(records(copy));
    expect(records(roomCopy(t, ana.c))).toEqual(records(copy));
  });

  it("a message resent after the staff page handed it back is acked with its old seq and reaches the resending page", () => {
    const { t, provider, ana, held } = resetMidConversation();
    const back = staffRejoins(t, provider, [{ ...held.provider[0], messages: held.ana }]);
    const anaHeld = held.ana.filter((m) => m.cid !== "a2");

    const anaPage = patientRejoins(t, ana, anaHeld);
    anaPage.send({ type: "send", c: ana.c, cid: "a2", text: "Are you still there?" });

    const original = held.ana.find((m) => m.cid === "a2")!;
    expect(anaPage.last("ack")).toEqual({ type: "ack", c: ana.c, cid: "a2", seq: original.seq });
    expect(records(anaPage.copy(ana.c, anaHeld))).toEqual(records(held.ana));
    expect(records(back.copy(ana.c, held.ana))).toEqual(records(held.ana));
  });
});

describe("a blip right after a reset", () => {
  it("a patient page whose copy was lost on its way keeps its conversation when it reconnects and hands it back again", () => {
    const { t, ana, held } = resetMidConversation();
    const first = new Client(t.room, ana.identity).hello({ resume: ana.resumeState() });
    first.drop(); // its seed frames were in flight
    const copy = first.copy(ana.c, held.ana);

    // It learned the new epoch from its welcome: it resumes in it, and hands back again.
    const second = t.reopen(first, first.resumeState());
    for (const frame of seedFrames(ana.c, copy)) second.send(frame);

    expect(second.of("error")).toEqual([]);
    expect(roomTexts(t, ana.c)).toEqual(texts(held.ana));
    expect(texts(second.copy(ana.c, copy))).toEqual(texts(held.ana));
  });

  it("a page handing back again after a blip, with messages this room numbered since, is told of no error", () => {
    const { t, provider, ana, held } = resetMidConversation();
    const back = staffRejoins(t, provider, held.provider);
    const first = new Client(t.room, ana.identity).hello({ resume: ana.resumeState() });
    back.send({ type: "send", c: ana.c, cid: "p2", text: "Written after the reset" });
    first.drop(); // its seed frames were in flight
    const copy = first.copy(ana.c, held.ana);

    const second = t.reopen(first, first.resumeState());
    for (const frame of seedFrames(ana.c, copy)) second.send(frame);

    expect(texts(copy)).toContain("Written after the reset");
    expect(second.of("error")).toEqual([]);
    expect(roomTexts(t, ana.c)).toEqual([...texts(held.ana), "Written after the reset"]);
  });

  it("a staff page whose copies were lost on their way hands back all 70 conversations when it resumes in the new epoch", () => {
    const t = setup({ capacity: 100 });
    const provider = t.provider();
    for (let i = 0; i < 70; i++) t.patient(`Patient ${i}`);
    const held = heldBy(t, provider);
    t.reset();
    const first = t.reopen(provider, provider.resumeState());
    first.drop(); // its seed frames were in flight

    const second = staffRejoins(t, first, held, first.resumeState());

    expect(second.peer.closedWith).toBeUndefined();
    expect(second.of("error")).toEqual([]);
    expect(t.room.patientCount).toBe(70);
  });

  it("a staff page that missed its catch-up still gets the messages written before its copy was restored", () => {
    const { t, provider, ana } = waitingRoom();
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Hello" });
    ana.drop();
    provider.send({ type: "send", c: ana.c, cid: "p1", text: "Only the staff page holds this" });
    const providerHeld = heldBy(t, provider);
    const anaHeld = ana.copy();
    t.reset();
    const anaPage = patientRejoins(t, ana, anaHeld);
    anaPage.send({ type: "send", c: ana.c, cid: "a2", text: "Written right after the deploy" });

    const lost = staffRejoins(t, provider, providerHeld);
    lost.drop(); // its catch-up (with a2) was in flight; its seed arrived
    const back = t.reopen(lost, { ...lost.resumeState(), n: 0 });

    const expected = ["Hello", "Only the staff page holds this", "Written right after the deploy"];
    expect(roomTexts(t, ana.c)).toEqual(expected);
    expect(texts(back.copy(ana.c, providerHeld[0].messages))).toEqual(expected);
  });
});

describe("what only a patient's page handed back", () => {
  it("reaches a staff page that opened after the reset once a staff page vouches for it, even if that page's socket drops just then", () => {
    const { t, provider, ana } = waitingRoom();
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Before the reset" });
    const held = heldBy(t, provider);
    const anaHeld = ana.copy();
    t.reset();
    const anaBack = patientRejoins(t, ana, anaHeld);
    const sam = t.staff("Sam Front", "staff");
    anaBack.send({ type: "send", c: ana.c, cid: "a2", text: "After the reset" });
    expect(sam.copy(ana.c).map((m) => m.text)).toEqual(["After the reset"]);
    const samLastGot = sam.resumeState();

    staffRejoins(t, provider, held);
    sam.drop(); // with the message the staff page vouched for in flight

    const samBack = t.reopen(sam, samLastGot);
    expect(samBack.texts()).toEqual(["Before the reset"]);
  });
});

describe("a busy waiting room after a reset", () => {
  it("a staff page holding 40 conversations hands all of them back", () => {
    const t = setup();
    const provider = t.provider();
    const patients = Array.from({ length: 40 }, (_, i) => t.patient(`Patient ${String(i + 1).padStart(2, "0")}`));
    patients.forEach((p, i) => provider.send({ type: "send", c: p.c, cid: `p${i}`, text: `Hello patient ${i + 1}` }));
    t.clock.advance(60_000);
    const held = heldBy(t, provider);
    t.reset();

    const back = staffRejoins(t, provider, held);
    back.send({ type: "ping" });

    expect(back.of("error")).toEqual([]);
    expect(t.room.patientCount).toBe(40);
    expect(back.of("pong")).toHaveLength(1);
  });
});

describe("a forged seed", () => {
  it.each<[string, (m: ChatMessage) => ChatMessage]>([
    ["text", (m) => ({ ...m, text: "Please refill my oxycodone prescription." })],
    ["sender's name", (m) => ({ ...m, name: "Dr. Rivera" })],
    ["sender", (m) => ({ ...m, by: "staff-dr-rivera-000000" })],
    ["role", (m) => ({ ...m, role: "host" })],
    ["seq", (m) => ({ ...m, seq: m.seq + 1 })],
    ["time", (m) => ({ ...m, time: m.time - 86_400_000 })],
  ])("a message whose %s was changed is refused with bad_seed; the authentic ones are restored", (_field, tamper) => {
    const { t, provider, ana, held } = resetMidConversation();
    const back = staffRejoins(t, provider, held.provider.slice(1));
    const forged = [...held.ana.slice(0, -1), tamper(held.ana.at(-1)!)];

    const anaPage = patientRejoins(t, ana, forged);

    expect(anaPage.of("error")).toEqual([{ type: "error", code: "bad_seed", message: expect.any(String), c: ana.c }]);
    expect(roomTexts(t, ana.c)).toEqual(["Hi, I'm here.", "Welcome, Ana."]);
    expect(texts(back.copy(ana.c))).toEqual(["Hi, I'm here.", "Welcome, Ana."]);
  });

  it("a message moved into another patient's conversation is refused with bad_seed", () => {
    const { t, provider, ana, bo, held } = resetMidConversation();
    const moved = held.ana.map((m) => ({ ...m, c: bo.c }));
    const back = staffRejoins(t, provider, [{ ...held.provider[1], messages: [...held.bo, ...moved] }]);

    expect(back.of("error")).toEqual([{ type: "error", code: "bad_seed", message: expect.any(String), c: bo.c }]);
    expect(roomTexts(t, bo.c)).toEqual(["Hello from Bo."]);
    expect(ana.c).not.toBe(bo.c);
  });

  it("a message signed by another room is refused with bad_seed, even with the same secret and conversation id", () => {
    const { t, provider, ana, held } = resetMidConversation();
    // Numbered from 10, so no seq of it is in the clinic's conversation already.
    const other = new Room({ name: "other-clinic", graceMs: GRACE_MS, capacity: 5, clock: new FakeClock(), sign, seqBase: 10, deadAfterMs: 0 });
    other.admit(ana.identity);
    const there = new Client(other, ana.identity).hello();
    there.send({ type: "send", c: ana.c, cid: "x1", text: "Signed elsewhere" });
    other.dispose();
    const back = staffRejoins(t, provider, held.provider);

    const anaPage = patientRejoins(t, ana, [...held.ana, ...there.of("msg")]);

    expect(anaPage.last("error")?.code).toBe("bad_seed");
    expect(back.of("msg").map((m) => m.text)).not.toContain("Signed elsewhere");
    expect(roomTexts(t, ana.c)).toEqual(["Hi, I'm here.", "Welcome, Ana.", "Are you still there?"]);
  });

  it("a patient handing back another patient's conversation is refused, and nothing of it is restored", () => {
    const { t, ana, bo, held } = resetMidConversation();
    const boPage = patientRejoins(t, bo, []);
    const anaPage = patientRejoins(t, ana, held.ana);
    boPage.clear();

    for (const frame of seedFrames(bo.c, held.bo)) anaPage.send(frame);

    expect(anaPage.last("error")?.code).toBe("forbidden");
    expect(boPage.frames).toEqual([]);
    expect(roomCopy(t, bo.c)).toEqual([]);
  });

  it("a patient's seed cannot erase the conversation, rename the patient or start a session", () => {
    const { t, provider, ana, held } = resetMidConversation();
    const anaPage = patientRejoins(t, ana, held.ana);
    const back = staffRejoins(t, provider, []);
    back.clear();

    anaPage.send({
      type: "seed",
      c: ana.c,
      messages: [],
      erased: held.ana.at(-1)!.seq,
      floor: held.ana.at(-1)!.seq,
      patient: { id: ana.id, name: "Dr. Rivera", checkedInAt: 0, session: { id: "session-forged-0123", startedAt: 0 } },
    });

    expect(back.frames).toEqual([]);
    expect(anaPage.of("erased")).toEqual([]);
    expect(roomTexts(t, ana.c)).toEqual(["Hi, I'm here.", "Welcome, Ana.", "Are you still there?"]);
    expect(t.room.queueSnapshot().find((p) => p.id === ana.id)).toMatchObject({ name: "Ana Lima", status: "waiting" });
    expect(t.room.queueSnapshot().find((p) => p.id === ana.id)?.session).toBeUndefined();
  });
});

describe("an erase from before the reset", () => {
  /** Ana's page drops and misses the provider erasing the first two messages; then the room is reset. */
  function erasedWhileAway() {
    const { t, provider, ana } = waitingRoom();
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "My SSN is 078-05-1120" });
    provider.send({ type: "send", c: ana.c, cid: "p1", text: "Please don't share that here." });
    ana.send({ type: "send", c: ana.c, cid: "a2", text: "Sorry!" });
    const anaHeld = ana.copy();
    ana.drop();
    provider.send({ type: "close", c: ana.c, upto: 2 });
    const providerHeld: Held = { ...heldBy(t, provider)[0], erased: 2 };
    t.reset();
    return { t, provider, ana, anaHeld, providerHeld };
  }

  function rejoin(first: string) {
    const { t, provider, ana, anaHeld, providerHeld } = erasedWhileAway();
    if (first === "the provider") {
      const back = staffRejoins(t, provider, [providerHeld]);
      return { t, ana, anaHeld, providerHeld, back, anaPage: patientRejoins(t, ana, anaHeld) };
    }
    const anaPage = patientRejoins(t, ana, anaHeld);
    return { t, ana, anaHeld, providerHeld, back: staffRejoins(t, provider, [providerHeld]), anaPage };
  }

  it.each(["the provider", "the patient"])("is not undone in the room by a page that missed it, whoever reconnects first (%s)", (first) => {
    const { t, ana, providerHeld, back } = rejoin(first);

    expect(roomTexts(t, ana.c)).toEqual(["Sorry!"]);
    expect(texts(back.copy(ana.c, providerHeld.messages).filter((m) => m.seq > 2))).toEqual(["Sorry!"]);
  });

  it.each(["the provider", "the patient"])("the patient's page that missed it is told to drop the erased messages, whoever reconnects first (%s)", (first) => {
    const { ana, anaHeld, anaPage } = rejoin(first);

    expect(texts(anaPage.copy(ana.c, anaHeld))).toEqual(["Sorry!"]);
  });
});

describe("the queue after a reset", () => {
  /** Ana, Bo and Cy checked in five minutes apart; then the room is reset. */
  function threeWaiting() {
    const t = setup();
    const patients = ["Ana Lima", "Bo Chen", "Cy Diaz"].map((name) => {
      const page = t.patient(name);
      t.clock.advance(5 * 60_000);
      return page;
    });
    const provider = t.provider();
    const held = heldBy(t, provider);
    t.reset();
    return { t, provider, patients, held };
  }

  it("the staff page's seed re-admits patients in check-in order, as away until they reconnect", () => {
    const { t, provider, patients, held } = threeWaiting();

    const back = staffRejoins(t, provider, [held[2], held[0], held[1]]);

    expect(t.room.queueSnapshot().map((p) => [p.name, p.checkedInAt, p.status])).toEqual(held.map((h) => [h.entry.name, h.entry.checkedInAt, "away"]));
    back.clear();
    patientRejoins(t, patients[1], []);
    expect(back.last("patient")?.patient).toMatchObject({ id: patients[1].id, status: "waiting" });
  });

  it("patients who never come back leave after the grace period; those who did keep their place", () => {
    const { t, provider, patients, held } = threeWaiting();
    const back = staffRejoins(t, provider, held);
    patientRejoins(t, patients[1], []);

    t.clock.advance(GRACE_MS);

    expect(back.of("patient_left").map((m) => m.c).sort()).toEqual([patients[0].c, patients[2].c].sort());
    expect(t.room.queueSnapshot().map((p) => [p.name, p.status])).toEqual([["Bo Chen", "waiting"]]);
  });

  it("a patient who is back before the staff page's seed stays waiting, at their check-in time", () => {
    const { t, provider, patients, held } = threeWaiting();
    patientRejoins(t, patients[2], []);

    staffRejoins(t, provider, held);

    expect(t.room.queueSnapshot().map((p) => [p.name, p.status])).toEqual([
      ["Ana Lima", "away"],
      ["Bo Chen", "away"],
      ["Cy Diaz", "waiting"],
    ]);
  });
});

describe("a text-only session after a reset", () => {
  /** Ana is in a session, started from the queue or through a scheduled link; then the room is reset. */
  function inSession(kind = "started from the queue") {
    const t = setup();
    const provider = t.provider();
    let ana: Client;
    if (kind === "scheduled") {
      const session = { id: "scheduled-session-0123456789", startedAt: t.clock.now(), scheduled: true as const };
      const identity = { ...t.patientIdentity("Ana Lima"), session };
      t.room.admit(identity);
      ana = new Client(t.room, identity).hello();
    } else {
      ana = t.patient("Ana Lima");
      provider.send({ type: "start_session", c: ana.c });
    }
    const session = t.room.queueSnapshot()[0].session!;
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Can you see my message?" });
    const held = heldBy(t, provider);
    const anaHeld = ana.copy();
    t.reset();
    return { t, provider, ana, session, held, anaHeld };
  }

  it.each(["started from the queue", "scheduled"])("one %s is restored from the staff page's seed, and the patient's page finds it in its welcome", (kind) => {
    const { t, provider, ana, session, held, anaHeld } = inSession(kind);
    staffRejoins(t, provider, held);
    expect(t.room.queueSnapshot()[0]).toMatchObject({ id: ana.id, status: "away", session });

    const anaPage = patientRejoins(t, ana, anaHeld);

    expect(anaPage.last("welcome")?.session).toEqual(session);
    expect(texts(anaPage.copy(ana.c, anaHeld))).toEqual(["Can you see my message?"]);
  });

  it("one started from the queue reaches a patient who was back first, and can then be ended for everyone", () => {
    const { t, provider, ana, session, held, anaHeld } = inSession();
    const anaPage = patientRejoins(t, ana, anaHeld);
    expect(anaPage.last("welcome")?.session).toBeUndefined();

    const back = staffRejoins(t, provider, held);
    expect(anaPage.last("session_started")).toEqual({ type: "session_started", c: ana.c, session });
    back.send({ type: "end_session", c: ana.c });

    expect(anaPage.last("session_ended")).toMatchObject({ c: ana.c, id: session.id });
    expect(back.last("session_ended")).toMatchObject({ c: ana.c, id: session.id });
  });
});
