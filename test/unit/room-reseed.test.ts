import { describe, expect, it } from "vitest";
import { seedFrames } from "../../client/lib/replica";
import type { ChatMessage } from "../../worker/protocol";
import { Room } from "../../worker/room";
import { Client, EPOCH, FakeClock, GRACE_MS, setup, sign, waitingRoom } from "./fakes";
import { cursorOf, patientRejoins, providerRejoins, resetMidConversation, roomCopy, texts, type Held } from "./rejoin";

// A reset (a deploy, an eviction) loses the room's memory. The browsers are
// the replicas: pages from before it say hello with the old epoch, get what
// the new room has, and hand back their copies (seed frames).

describe("after a reset, pages hand back their copies", () => {
  it.each(["the provider", "the patients"])("the provider's transcript is complete again, whoever reconnects first (%s)", (first) => {
    const { t, ana, bo, held } = resetMidConversation();

    let provider: Client;
    let anaPage: Client;
    if (first === "the provider") {
      provider = providerRejoins(t, held.provider);
      anaPage = patientRejoins(t, ana, held.ana);
      patientRejoins(t, bo, held.bo);
    } else {
      anaPage = patientRejoins(t, ana, held.ana);
      patientRejoins(t, bo, held.bo);
      provider = providerRejoins(t, held.provider);
    }

    const providerAna = provider.copy(ana.id, held.provider[0].messages);
    expect(texts(providerAna)).toEqual(["Hi, I'm here.", "Welcome, Ana.", "Are you still there?"]);
    expect(texts(provider.copy(bo.id, held.provider[1].messages))).toEqual(["Hello from Bo."]);
    expect(anaPage.copy(ana.id, held.ana)).toEqual(providerAna);
    expect(roomCopy(t, ana.id)).toEqual(texts(providerAna));
    expect([...provider.of("error"), ...anaPage.of("error")]).toEqual([]);
  });

  it("a message that only the patient's page held reaches the provider's page", () => {
    const { t, ana, held } = resetMidConversation();
    const provider = providerRejoins(t, held.provider);
    provider.clear();

    patientRejoins(t, ana, held.ana);

    expect(provider.of("msg").map((m) => m.text)).toEqual(["Are you still there?"]);
  });

  it("new messages are numbered above every message from before the reset, so every copy keeps them last", () => {
    const { t, ana, held, before } = resetMidConversation({ seqBase: undefined });
    const provider = providerRejoins(t, held.provider);
    const anaPage = patientRejoins(t, ana, held.ana);

    anaPage.send({ type: "send", cid: "a3", text: "After the reset" });
    provider.send({ type: "send", cid: "p2", to: ana.id, text: "Still here" });

    const oldest = Math.max(...held.ana.map((m) => m.seq));
    expect(t.room.epoch).not.toBe(before.epoch);
    const added = provider.of("msg").filter((m) => m.cid === "a3" || m.cid === "p2");
    expect(added).toHaveLength(2);
    for (const m of added) expect(m.seq).toBeGreaterThan(oldest);
    const copy = provider.copy(ana.id, held.provider[0].messages);
    expect(texts(copy)).toEqual(["Hi, I'm here.", "Welcome, Ana.", "Are you still there?", "After the reset", "Still here"]);
    expect(anaPage.copy(ana.id, held.ana)).toEqual(copy);
  });

  it("a message resent after the reset and handed back under its old seq is kept once, under its new seq", () => {
    const { t, ana, held } = resetMidConversation();
    // Ana's page never saw the echo of a2: it is pending there, not in her copy.
    const anaHeld = held.ana.filter((m) => m.cid !== "a2");
    const anaPage = patientRejoins(t, ana, anaHeld);
    anaPage.send({ type: "send", cid: "a2", text: "Are you still there?" });
    const resent = anaPage.last("msg")!;

    const provider = providerRejoins(t, [{ ...held.provider[0], messages: held.ana }]);

    const copy = provider.copy(ana.id, held.ana);
    expect(copy.filter((m) => m.cid === "a2")).toEqual([resent]);
    expect(anaPage.copy(ana.id, anaHeld)).toEqual(copy);
    expect(roomCopy(t, ana.id)).toEqual(texts(copy));
  });

  it("a message resent after the provider handed it back is acked with its old seq and reaches the resending page", () => {
    const { t, ana, held } = resetMidConversation();
    const provider = providerRejoins(t, [{ ...held.provider[0], messages: held.ana }]);
    const anaHeld = held.ana.filter((m) => m.cid !== "a2");

    const anaPage = patientRejoins(t, ana, anaHeld);
    anaPage.send({ type: "send", cid: "a2", text: "Are you still there?" });

    const original = held.ana.find((m) => m.cid === "a2")!;
    expect(anaPage.last("ack")).toEqual({ type: "ack", patient: ana.id, cid: "a2", seq: original.seq });
    expect(anaPage.copy(ana.id, anaHeld)).toEqual(held.ana);
    expect(provider.copy(ana.id, held.ana)).toEqual(held.ana);
  });
});

describe("a blip right after a reset", () => {
  // A product bug, unfixed. The page learned the new epoch, so it resumes
  // with a cursor from before the reset, which the room never issued:
  // resync. The page seeds again on welcome, then obeys the resync and drops
  // its copy; the room restores the seed but sends it to the other pages only.
  it("a patient page whose seed was lost keeps its conversation when it reconnects and seeds again", () => {
    const { t, ana, held } = resetMidConversation();
    const first = new Client(t.room, ana.identity).hello({ epoch: EPOCH, cursors: { [ana.id]: cursorOf(held.ana) } });
    first.drop(); // its seed frames were in flight
    const copy = first.copy(ana.id, held.ana);

    const second = new Client(t.room, ana.identity).hello({ epoch: t.room.epoch, cursors: { [ana.id]: cursorOf(copy) } });
    for (const frame of seedFrames(ana.id, copy)) second.send(frame);

    expect(roomCopy(t, ana.id)).toEqual(texts(held.ana));
    expect(texts(second.copy(ana.id, copy))).toEqual(texts(held.ana));
  });

  // A product bug, unfixed. Conversation.since assumes a page holds all
  // that reached the room before its cursor's message; after a reset the
  // cursor names a message the page held already, restored after newer ones.
  it("a provider page that missed its catch-up still gets the messages written before its copy was restored", () => {
    const { t, provider, ana } = waitingRoom();
    ana.send({ type: "send", cid: "a1", text: "Hello" });
    ana.drop();
    provider.send({ type: "send", cid: "p1", to: ana.id, text: "Only the provider's page holds this" });
    const providerHeld: Held = { info: t.room.queue()[0], messages: provider.copy(ana.id) };
    const anaHeld = ana.copy();
    t.reset();
    const anaPage = patientRejoins(t, ana, anaHeld);
    anaPage.send({ type: "send", cid: "a2", text: "Written right after the deploy" });

    const lost = providerRejoins(t, [providerHeld]);
    lost.drop(); // its catch-up (with a2) was in flight; its seed arrived
    const back = new Client(t.room, provider.identity).hello({ epoch: t.room.epoch, cursors: { [ana.id]: cursorOf(providerHeld.messages) } });

    expect(roomCopy(t, ana.id)).toEqual(["Hello", "Only the provider's page holds this", "Written right after the deploy"]);
    expect(texts(back.copy(ana.id, providerHeld.messages))).toEqual(["Hello", "Only the provider's page holds this", "Written right after the deploy"]);
  });
});

describe("a busy waiting room after a reset", () => {
  // A product bug, unfixed. One seed frame per conversation, all sent on
  // welcome, is more than a connection's burst (30): the rest are refused as
  // rate_limited, with nothing saying which, and the page never resends them.
  it("a provider page holding 40 conversations hands all of them back", () => {
    const t = setup({ burst: 30, perSecond: 10 });
    const provider = t.provider();
    const patients = Array.from({ length: 40 }, (_, i) => t.patient(`Patient ${String(i + 1).padStart(2, "0")}`));
    patients.forEach((p, i) => provider.send({ type: "send", cid: `p${i}`, to: p.id, text: `Hello patient ${i + 1}` }));
    t.clock.advance(60_000);
    const held = t.room.queue().map((info) => ({ info, messages: provider.copy(info.id) }));
    t.reset();

    const back = providerRejoins(t, held);
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
    ["sender", (m) => ({ ...m, from: "provider" })],
    ["seq", (m) => ({ ...m, seq: m.seq + 1 })],
    ["time", (m) => ({ ...m, time: m.time - 86_400_000 })],
  ])("a message whose %s was changed is refused with bad_seed; the authentic ones are restored", (_field, tamper) => {
    const { t, ana, held } = resetMidConversation();
    const provider = providerRejoins(t, held.provider.slice(1));
    const forged = [...held.ana.slice(0, -1), tamper(held.ana.at(-1)!)];

    const anaPage = patientRejoins(t, ana, forged);

    expect(anaPage.of("error")).toEqual([{ type: "error", code: "bad_seed", message: expect.any(String) }]);
    expect(roomCopy(t, ana.id)).toEqual(["Hi, I'm here.", "Welcome, Ana."]);
    expect(texts(provider.copy(ana.id))).toEqual(["Hi, I'm here.", "Welcome, Ana."]);
  });

  it("a message moved into another patient's conversation is refused with bad_seed", () => {
    const { t, bo, held } = resetMidConversation();
    const moved = held.ana.map((m) => ({ ...m, patient: bo.id }));
    const provider = providerRejoins(t, [{ ...held.provider[1], messages: [...held.bo, ...moved] }]);

    expect(provider.of("error")).toEqual([{ type: "error", code: "bad_seed", message: expect.any(String) }]);
    expect(roomCopy(t, bo.id)).toEqual(["Hello from Bo."]);
  });

  it("a message signed by another room is refused with bad_seed, even with the same secret and patient id", () => {
    const { t, ana, held } = resetMidConversation();
    // Numbered from 10, so no seq of it is in the clinic's conversation already.
    const other = new Room({ name: "other-clinic", graceMs: GRACE_MS, capacity: 5, clock: new FakeClock(), sign, seqBase: 10, deadAfterMs: 0 });
    other.admit(ana.identity);
    const there = new Client(other, ana.identity).hello();
    there.send({ type: "send", cid: "x1", text: "Signed elsewhere" });
    const provider = providerRejoins(t, held.provider);

    const anaPage = patientRejoins(t, ana, [...held.ana, ...there.of("msg")]);

    expect(anaPage.last("error")?.code).toBe("bad_seed");
    expect(provider.of("msg").map((m) => m.text)).not.toContain("Signed elsewhere");
    expect(roomCopy(t, ana.id)).toEqual(["Hi, I'm here.", "Welcome, Ana.", "Are you still there?"]);
  });

  it("a patient handing back another patient's conversation is refused, and nothing of it is restored", () => {
    const { t, ana, bo, held } = resetMidConversation();
    const boPage = patientRejoins(t, bo, []);
    const anaPage = patientRejoins(t, ana, held.ana);
    boPage.clear();

    for (const frame of seedFrames(bo.id, held.bo)) anaPage.send(frame);

    expect(anaPage.last("error")?.code).toBe("forbidden");
    expect(boPage.frames).toEqual([]);
    expect(roomCopy(t, bo.id)).toEqual([]);
  });

  it("a patient's seed cannot erase the conversation, rename the patient or start a session", () => {
    const { t, ana, held } = resetMidConversation();
    const anaPage = patientRejoins(t, ana, held.ana);
    const provider = providerRejoins(t, []);
    provider.clear();

    anaPage.send({
      type: "seed",
      patient: ana.id,
      messages: [],
      erased: 3,
      info: { name: "Dr. Rivera", checkedInAt: 0, session: { id: "session-forged-0123", startedAt: 0 } },
    });

    expect(provider.frames).toEqual([]);
    expect(anaPage.of("erased")).toEqual([]);
    expect(roomCopy(t, ana.id)).toEqual(["Hi, I'm here.", "Welcome, Ana.", "Are you still there?"]);
    expect(t.room.queue().find((p) => p.id === ana.id)).toMatchObject({ name: "Ana Lima", status: "waiting" });
    expect(t.room.queue().find((p) => p.id === ana.id)?.session).toBeUndefined();
  });
});
