import { describe, expect, it } from "vitest";
import { seedFrames } from "../../../client/room/replica";
import { PROTOCOL_VERSION, type ConversationMeta } from "../../../protocol/wire";
import { Client, setup, waitingRoom } from "../../support/fakes";
import { flushAll, LivePage } from "../../support/page";
import { patientRejoins, roomTexts, staffRejoins } from "../../support/rejoin";

// Recovery: only the page that holds its pass resumes, and what pages hand
// back after a reset is taken only as far as the room can vouch for it: its
// own signature, the erase points, the conversation's start, the signed
// description of a staff chat.

const SECRET = "My SSN is 078-05-1120";

describe("a pass is needed to resume", () => {
  it.each([
    ["no pass", () => ""],
    ["a forged pass", () => "page-1.0.forged-signature"],
    ["another patient's pass", (other: Client) => other.resumeState().pass],
    ["its own pass with a lower floor", (_other: Client, own: Client) => own.resumeState().pass.replace(/\.\d+\./, ".0.")],
  ])("a patient's hello that claims to resume with %s gets nothing from before it", (_kind, pass) => {
    const { t, provider, ana } = waitingRoom();
    ana.send({ type: "send", c: ana.c, cid: "a1", text: SECRET });
    provider.send({ type: "send", c: ana.c, cid: "p1", text: "Please don't share that here." });
    const bo = t.patient("Bo Chen");
    ana.drop();
    // A later page load: its pass names a floor above the messages so far.
    const later = t.reopen(ana);
    later.drop();

    const crafted = new Client(t.room, ana.identity);
    crafted.send({ type: "hello", v: PROTOCOL_VERSION, resume: { pass: pass(bo, later), epoch: t.room.epoch, n: 0 } });

    expect(crafted.last("welcome")?.self.id).toBe(ana.id);
    expect(crafted.texts()).toEqual([]);
    expect(crafted.peer.raw.join("")).not.toContain(SECRET);
  });

  it("after a reset, a hello from another epoch without a pass is a new page load: nothing comes back to it", () => {
    const { t, ana } = waitingRoom();
    ana.send({ type: "send", c: ana.c, cid: "a1", text: SECRET });
    const held = ana.copy();
    const before = ana.resumeState();
    t.reset();
    patientRejoins(t, ana, held, before);

    const crafted = new Client(t.room, ana.identity);
    crafted.send({ type: "hello", v: PROTOCOL_VERSION, resume: { pass: "", epoch: before.epoch, n: 0 } });
    crafted.send({ type: "seed", c: ana.c, messages: held });

    expect(crafted.texts()).toEqual([]);
    expect(crafted.last("error")?.code).toBe("rate_limited");
    expect(crafted.peer.raw.join("")).not.toContain(SECRET);
  });
});

describe("an erase survives a reset, whoever hands back first", () => {
  /**
   * The provider erases while Ana's page is away; the room is reset; Ana's
   * page comes back first and hands back its copy, with the erased messages.
   */
  function erasedThenReset() {
    const t = setup();
    const rivera = new LivePage(() => t.room, t.staffIdentity("Dr. Rivera")).connect();
    const ana = new LivePage(() => t.room, t.checkIn("Ana Lima")).connect();
    const c = ana.identity.c!;
    flushAll(rivera, ana);
    ana.client.write(c, SECRET);
    flushAll(rivera, ana);
    rivera.client.write(c, "Please don't share that here.");
    flushAll(rivera, ana);
    ana.drop();
    rivera.client.close(c);
    flushAll(rivera, ana);
    ana.client.write(c, "Sorry!");
    t.reset();
    rivera.drop();
    ana.connect();
    flushAll(ana);
    return { t, rivera, ana, c };
  }

  it("a fresh staff page does not get the erased messages the patient's page handed back", () => {
    const { t, c } = erasedThenReset();

    const sam = new LivePage(() => t.room, t.staffIdentity("Sam Front", "staff")).connect();
    const reloaded = new LivePage(() => t.room, t.staffIdentity("Dr. Rivera")).connect();

    for (const page of [sam, reloaded]) {
      expect(page.texts(c)).toEqual(["Sorry!"]);
      expect(page.socket!.peer.raw.join("")).not.toContain(SECRET);
    }
  });

  it("a staff page that opened before the patient's page handed them back does not get them after a blip either", () => {
    const t = setup();
    const rivera = new LivePage(() => t.room, t.staffIdentity("Dr. Rivera")).connect();
    const ana = new LivePage(() => t.room, t.checkIn("Ana Lima")).connect();
    const c = ana.identity.c!;
    flushAll(rivera, ana);
    ana.client.write(c, SECRET);
    flushAll(rivera, ana);
    ana.drop();
    rivera.client.close(c);
    flushAll(rivera, ana);
    t.reset();
    rivera.drop();
    const sam = new LivePage(() => t.room, t.staffIdentity("Sam Front", "staff")).connect();

    ana.connect();
    sam.drop().connect();

    expect(sam.socket!.peer.raw.join("")).not.toContain(SECRET);
    expect(sam.texts(c)).toEqual([]);
  });

  it("once the provider's page is back and hands back its erase point, nobody has them, the patient's page included", () => {
    const { t, rivera, ana, c } = erasedThenReset();

    rivera.connect();
    flushAll(rivera, ana);
    const sam = new LivePage(() => t.room, t.staffIdentity("Sam Front", "staff")).connect();

    expect(ana.texts(c)).toEqual(["Sorry!"]);
    expect(rivera.texts(c)).toEqual(["Sorry!"]);
    expect(sam.texts(c)).toEqual(["Sorry!"]);
    expect(roomTexts(t, c)).toEqual(["Sorry!"]);
    expect(rivera.client.busy || ana.client.busy).toBe(false);
  });
});

describe("a message to everyone waiting, handed back", () => {
  /** A message to everyone while Ana waits; Bo checks in after it; then the room is reset. */
  function broadcastThenReset() {
    const { t, provider, ana } = waitingRoom();
    provider.send({ type: "broadcast", cid: "all1", text: "Running 15 minutes late" });
    const broadcast = ana.last("msg")!;
    t.clock.advance(60_000);
    const bo = t.patient("Bo Chen");
    t.reset();
    return { t, provider, ana, bo, broadcast };
  }

  it("is taken back into a conversation that began before it", () => {
    const { t, ana, broadcast } = broadcastThenReset();

    const page = patientRejoins(t, ana, [broadcast]);

    expect(page.of("error")).toEqual([]);
    expect(roomTexts(t, ana.c)).toEqual(["Running 15 minutes late"]);
  });

  it("is refused in a conversation that began after it, from the patient's page or a staff page", () => {
    const { t, provider, bo, broadcast } = broadcastThenReset();
    const replayed = { ...broadcast, c: bo.c };

    const boPage = patientRejoins(t, bo, [replayed]);
    const staffPage = staffRejoins(t, provider, [{ entry: { ...t.room.queueSnapshot()[0] }, messages: [replayed] }]);

    expect(boPage.last("error")).toMatchObject({ code: "bad_seed", c: bo.c });
    expect(staffPage.last("error")).toMatchObject({ code: "bad_seed", c: bo.c });
    expect(roomTexts(t, bo.c)).toEqual([]);
  });
});

describe("a staff chat handed back", () => {
  /** Dr. Rivera's group with Sam; a message in it; then the room is reset. */
  function groupThenReset() {
    const t = setup();
    const rivera = t.provider("Dr. Rivera");
    const sam = t.staff("Sam Front", "staff");
    const lee = t.staff("Lee Other", "staff");
    rivera.send({ type: "create_group", cid: "g1", title: "Pair", members: [sam.id] });
    const meta = rivera.last("conversation")!;
    sam.send({ type: "send", c: meta.c, cid: "s1", text: "Group note" });
    const messages = sam.copy(meta.c);
    t.reset();
    const { type: _, ...signed } = meta;
    return { t, rivera, sam, lee, meta: signed as ConversationMeta, messages };
  }

  it("comes back for its members from its signed description", () => {
    const { t, rivera, sam, meta, messages } = groupThenReset();

    const riveraBack = t.reopen(rivera, rivera.resumeState());
    for (const frame of seedFrames(meta.c, messages, { meta })) riveraBack.send(frame);
    const samBack = t.resume(sam);

    expect(riveraBack.of("error")).toEqual([]);
    expect(samBack.last("conversation")).toMatchObject({ c: meta.c, title: "Pair" });
    expect(samBack.copy(meta.c).map((m) => m.text)).toEqual(["Group note"]);
  });

  it.each<[string, (m: ConversationMeta) => ConversationMeta]>([
    ["a member added", (m) => ({ ...m, members: [...m.members, { id: "staff-lee-other-000000", name: "Lee Other", role: "staff" }] })],
    ["the owner changed", (m) => ({ ...m, owner: "staff-sam-front-000000" })],
    ["the title changed", (m) => ({ ...m, title: "Renamed" })],
    ["a newer version claimed", (m) => ({ ...m, ver: m.ver + 1_000 })],
  ])("with %s is refused with bad_seed, and nothing of it is restored", (_kind, forge) => {
    const { t, sam, lee, meta, messages } = groupThenReset();
    const leeBack = t.resume(lee);
    const samBack = t.resume(sam);
    samBack.clear();

    for (const frame of seedFrames(meta.c, messages, { meta: forge(meta) })) samBack.send(frame);

    expect(samBack.of("error")).toEqual([expect.objectContaining({ code: "bad_seed", c: meta.c })]);
    expect(samBack.of("conversation")).toEqual([]);
    expect(leeBack.of("conversation")).toEqual([]);
    expect(leeBack.texts()).toEqual([]);
  });

  it("by a colleague who is not in it is refused, and they are not let in", () => {
    const { t, lee, meta, messages } = groupThenReset();
    const leeBack = t.resume(lee);

    for (const frame of seedFrames(meta.c, messages, { meta })) leeBack.send(frame);

    expect(leeBack.last("error")).toMatchObject({ code: "forbidden", c: meta.c });
    expect(leeBack.texts()).toEqual([]);
    leeBack.send({ type: "send", c: meta.c, cid: "l1", text: "Let me in" });
    expect(leeBack.last("error")).toMatchObject({ code: "recipient_left", c: meta.c });
  });

  it("by a colleague who left it gives the room its newest description, and them no error", () => {
    const { t, rivera, sam, meta, messages } = groupThenReset();
    const riveraBack = t.reopen(rivera, rivera.resumeState());
    for (const frame of seedFrames(meta.c, messages, { meta })) riveraBack.send(frame);
    riveraBack.send({ type: "ping" });
    const samBack = t.resume(sam);
    samBack.send({ type: "leave_group", c: meta.c });
    const { type: _, ...withoutSam } = samBack.last("conversation")!;
    t.reset();
    const riveraAgain = t.reopen(riveraBack, riveraBack.resumeState());
    for (const frame of seedFrames(meta.c, messages, { meta })) riveraAgain.send(frame);

    const samAgain = t.reopen(samBack, samBack.resumeState());
    for (const frame of seedFrames(meta.c, messages, { meta: withoutSam as ConversationMeta })) samAgain.send(frame);

    expect(samAgain.of("error")).toEqual([]);
    expect(riveraAgain.last("conversation")?.members.map((m) => m.id)).toEqual([rivera.id]);
  });

  it("by a patient is refused", () => {
    const { t, meta, messages } = groupThenReset();
    const ana = t.patient("Ana Lima");
    t.reset();
    const anaBack = t.resume(ana);

    for (const frame of seedFrames(meta.c, messages, { meta })) anaBack.send(frame);

    expect(anaBack.last("error")).toMatchObject({ code: "bad_seed", c: meta.c });
  });
});

describe("a deleted group after a reset", () => {
  /**
   * Dr. Rivera's group with Sam and Dr. Okafor. Dr. Okafor's page goes away
   * and misses the owner deleting the group; then the room is reset.
   */
  function deletedWhileAway() {
    const t = setup();
    const rivera = t.provider("Dr. Rivera");
    const sam = t.staff("Sam Front", "staff");
    const okafor = t.staff("Dr. Okafor");
    rivera.send({ type: "create_group", cid: "g1", title: "Trio", members: [sam.id, okafor.id] });
    const { type: _a, ...stale } = rivera.last("conversation")!;
    sam.send({ type: "send", c: stale.c, cid: "s1", text: "Before the deletion" });
    const messages = okafor.copy(stale.c);
    okafor.drop();
    rivera.send({ type: "delete_group", c: stale.c });
    const { type: _b, ...tombstone } = rivera.last("conversation")!;
    t.reset();
    return { t, rivera, sam, okafor, stale: stale as ConversationMeta, tombstone: tombstone as ConversationMeta, messages };
  }

  const handBack = (page: Client, meta: ConversationMeta, messages: Parameters<typeof seedFrames>[1] = []) => {
    for (const frame of seedFrames(meta.c, messages, { meta })) page.send(frame);
  };

  it("stays deleted when the owner's page hands back its tombstone after a stale page handed the group back", () => {
    const { t, rivera, sam, okafor, stale, tombstone, messages } = deletedWhileAway();
    const okaforBack = t.reopen(okafor, okafor.resumeState());
    const samBack = t.resume(sam);
    handBack(okaforBack, stale, messages);

    const riveraBack = t.reopen(rivera, rivera.resumeState());
    handBack(riveraBack, tombstone);

    for (const page of [okaforBack, samBack]) expect(page.last("conversation")).toMatchObject({ c: stale.c, deleted: true });
    samBack.send({ type: "send", c: stale.c, cid: "s2", text: "Anyone?" });
    expect(samBack.last("error")).toMatchObject({ code: "recipient_left", c: stale.c });
  });

  it("stays deleted when a stale page hands the group back after the owner's page handed back its tombstone", () => {
    const { t, rivera, sam, okafor, stale, tombstone, messages } = deletedWhileAway();
    const riveraBack = t.reopen(rivera, rivera.resumeState());
    handBack(riveraBack, tombstone);
    const samBack = t.resume(sam);

    const okaforBack = t.reopen(okafor, okafor.resumeState());
    handBack(okaforBack, stale, messages);

    expect(samBack.of("conversation").filter((f) => !f.deleted)).toEqual([]);
    expect(samBack.texts()).toEqual([]);
    expect(okaforBack.last("conversation")).toMatchObject({ c: stale.c, deleted: true });
    okaforBack.send({ type: "send", c: stale.c, cid: "o1", text: "Anyone?" });
    expect(okaforBack.last("error")).toMatchObject({ code: "recipient_left", c: stale.c });
  });

  it("stays deleted when the owner deletes it again after the reset and a stale page hands it back later", () => {
    const t = setup();
    const rivera = t.provider("Dr. Rivera");
    const sam = t.staff("Sam Front", "staff");
    rivera.send({ type: "create_group", cid: "g1", title: "Pair", members: [sam.id] });
    const { type: _, ...stale } = rivera.last("conversation")!;
    t.reset();
    const riveraBack = t.reopen(rivera, rivera.resumeState());
    handBack(riveraBack, stale as ConversationMeta);
    riveraBack.send({ type: "delete_group", c: stale.c });

    const samBack = t.reopen(sam, sam.resumeState());
    handBack(samBack, stale as ConversationMeta);

    expect(samBack.last("conversation")).toMatchObject({ c: stale.c, deleted: true });
    samBack.send({ type: "send", c: stale.c, cid: "s1", text: "Anyone?" });
    expect(samBack.last("error")).toMatchObject({ code: "recipient_left", c: stale.c });
  });
});
