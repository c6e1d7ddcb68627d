import { describe, expect, it } from "vitest";
import type { ChatMessage, ServerMessageOf } from "../../../protocol/wire";
import { Client, setup } from "../../support/fakes";
import { heldBy, patientRejoins, roomCopy, roomTexts, staffRejoins, texts } from "../../support/rejoin";

// Deleting a message: a host any message, everyone else their own. The
// text goes for everyone at once and the room keeps a signed tombstone in
// its place, so no resume, no copy handed back after a reset and no resend
// brings it back.

/** Dr. Rivera (host), Sam (front desk) and Ana in a session, each having written once. */
function clinic() {
  const t = setup();
  const host = t.provider("Dr. Rivera");
  const desk = t.staff("Sam Front", "staff");
  const ana = t.patient("Ana Lima");
  host.send({ type: "start_session", c: ana.c });
  ana.send({ type: "send", c: ana.c, cid: "a1", text: "My private worry" });
  host.send({ type: "send", c: ana.c, cid: "h1", text: "Doctor's note" });
  desk.send({ type: "send", c: ana.c, cid: "d1", text: "Front desk note" });
  const seq = (cid: string) => host.of("msg").find((m) => m.cid === cid)!.seq;
  return { t, host, desk, ana, seq };
}

const tombstones = (page: Client, c: string): ServerMessageOf<"deleted">[] => page.of("deleted").filter((d) => d.c === c);

describe("who may delete what", () => {
  it("a host deletes anyone's message: gone for everyone at once, with a tombstone naming who deleted it", () => {
    const { host, desk, ana, seq, t } = clinic();

    host.send({ type: "delete", c: ana.c, seq: seq("a1") });

    for (const page of [host, desk, ana]) {
      expect(texts(page.copy(ana.c))).toEqual(["Doctor's note", "Front desk note"]);
      expect(tombstones(page, ana.c)).toEqual([expect.objectContaining({ seq: seq("a1"), from: ana.id, cid: "a1", by: host.id, name: "Dr. Rivera" })]);
    }
    expect(roomTexts(t, ana.c)).toEqual(["Doctor's note", "Front desk note"]);
  });

  it("the patient and front desk delete their own messages only", () => {
    const { host, desk, ana, seq } = clinic();

    ana.send({ type: "delete", c: ana.c, seq: seq("h1") });
    desk.send({ type: "delete", c: ana.c, seq: seq("a1") });
    ana.send({ type: "delete", c: ana.c, seq: seq("a1") });
    desk.send({ type: "delete", c: ana.c, seq: seq("d1") });

    expect([ana, desk].map((p) => p.of("error").map((e) => e.message))).toEqual([["You can delete only your own messages."], ["You can delete only your own messages."]]);
    expect(texts(host.copy(ana.c))).toEqual(["Doctor's note"]);
  });

  it("a guest deletes their own message, not the patient's", async () => {
    const { t, host, ana } = clinic();
    const code = await t.code(host, ana.c);
    const grace = await t.guest(code, "Grace Interpreter");
    grace.send({ type: "send", c: ana.c, cid: "g1", text: "Interpreter's note" });
    ana.send({ type: "send", c: ana.c, cid: "a2", text: "Thank you both" });
    const [mine, hers] = grace.of("msg").map((m) => m.seq);

    grace.send({ type: "delete", c: ana.c, seq: hers! });
    grace.send({ type: "delete", c: ana.c, seq: mine! });

    expect(grace.of("error").map((e) => e.code)).toEqual(["forbidden"]);
    expect(texts(host.copy(ana.c))).toEqual(["My private worry", "Doctor's note", "Front desk note", "Thank you both"]);
  });

  it("a message from before a guest joined is no message of theirs to touch", async () => {
    const { t, host, ana, seq } = clinic();
    const grace = await t.guest(await t.code(host, ana.c), "Grace Interpreter");

    grace.send({ type: "delete", c: ana.c, seq: seq("a1") });

    expect(grace.last("error")).toMatchObject({ code: "not_found" });
    expect(grace.peer.raw.join("")).not.toContain("My private worry");
  });

  it("deleting twice tells the page again and changes nothing else", () => {
    const { host, ana, seq } = clinic();
    host.send({ type: "delete", c: ana.c, seq: seq("a1") });
    ana.clear();

    host.send({ type: "delete", c: ana.c, seq: seq("a1") });

    expect(tombstones(host, ana.c)).toHaveLength(2);
    expect(ana.frames).toEqual([]);
  });

  it("in staff chats too: a host deletes a colleague's message in a group, a colleague their own", () => {
    const { host, desk } = clinic();
    host.send({ type: "create_group", cid: "g", title: "Front office", members: [desk.id] });
    const group = host.last("conversation")!.c;
    desk.send({ type: "send", c: group, cid: "x1", text: "Lunch at one" });
    desk.send({ type: "send", c: group, cid: "x2", text: "Or two" });
    const [one, two] = desk.of("msg").filter((m) => m.c === group);

    host.send({ type: "delete", c: group, seq: one!.seq });
    desk.send({ type: "delete", c: group, seq: two!.seq });

    expect(texts(host.copy(group))).toEqual([]);
    expect(tombstones(desk, group).map((t) => t.by)).toEqual([host.id, desk.id]);
  });
});

describe("a deletion is final on every copy", () => {
  it("a page that was away is told on resuming, and drops its copy", () => {
    const { t, host, ana, seq } = clinic();
    ana.drop();
    host.send({ type: "delete", c: ana.c, seq: seq("a1") });

    const back = t.resume(ana);

    expect(tombstones(back, ana.c).map((d) => d.seq)).toEqual([seq("a1")]);
    expect(texts(back.copy(ana.c, ana.copy()))).toEqual(["Doctor's note", "Front desk note"]);
  });

  it("a fresh staff page gets the tombstone in the message's place, and never the text", () => {
    const { t, host, ana, seq } = clinic();
    host.send({ type: "delete", c: ana.c, seq: seq("a1") });

    const other = t.staff("Dr. Okafor", "host");

    expect(tombstones(other, ana.c).map((d) => d.seq)).toEqual([seq("a1")]);
    expect(other.peer.raw.join("")).not.toContain("My private worry");
  });

  it("after a reset, the patient's page that missed the deletion cannot bring it back once the host's page has handed back the tombstone", () => {
    const { t, host, ana, seq } = clinic();
    const anaHeld = ana.copy();
    ana.drop();
    host.send({ type: "delete", c: ana.c, seq: seq("a1") });
    const held = heldBy(t, host);
    t.reset();

    staffRejoins(t, host, held);
    const anaBack = patientRejoins(t, ana, anaHeld);

    expect(roomTexts(t, ana.c)).toEqual(["Doctor's note", "Front desk note"]);
    expect(texts(anaBack.copy(ana.c, anaHeld))).toEqual(["Doctor's note", "Front desk note"]);
  });

  it("after a reset, a tombstone handed back after the message removes it from the room and from every page", () => {
    const { t, host, desk, ana, seq } = clinic();
    const anaHeld = ana.copy();
    ana.drop();
    host.send({ type: "delete", c: ana.c, seq: seq("a1") });
    const held = { host: heldBy(t, host), desk: heldBy(t, desk) };
    t.reset();

    const anaBack = patientRejoins(t, ana, anaHeld);
    const deskBack = staffRejoins(t, desk, held.desk.map((h) => ({ ...h, deleted: undefined, messages: anaHeld })));
    staffRejoins(t, host, held.host);

    expect(roomTexts(t, ana.c)).toEqual(["Doctor's note", "Front desk note"]);
    for (const page of [anaBack, deskBack]) expect(tombstones(page, ana.c).map((d) => d.seq)).toEqual([seq("a1")]);
    expect(texts(deskBack.copy(ana.c, anaHeld))).toEqual(["Doctor's note", "Front desk note"]);
  });

  it("a tombstone the room did not sign is refused", () => {
    const { t, host, ana, seq } = clinic();
    const held = heldBy(t, host);
    t.reset();
    const forged = { seq: seq("a1"), from: ana.id, cid: "a1", time: 0, by: host.id, name: "Dr. Rivera", sig: "not-a-signature" };

    const back = staffRejoins(t, host, held.map((h) => ({ ...h, deleted: [forged] })));

    expect(back.last("error")?.code).toBe("bad_seed");
    expect(roomTexts(t, ana.c)).toEqual(["My private worry", "Doctor's note", "Front desk note"]);
  });

  it("a message deleted before a reset and resent after it by its writer's page stays deleted, and the page is told", () => {
    const { t, host, ana } = clinic();
    // Ana's echo is lost: her page still has it pending when the room resets.
    ana.send({ type: "send", c: ana.c, cid: "a2", text: "Please forget this" });
    const a2 = host.of("msg").find((m) => m.cid === "a2")!;
    host.send({ type: "delete", c: ana.c, seq: a2.seq });
    const held = heldBy(t, host);
    t.reset();
    staffRejoins(t, host, held);

    const anaBack = t.reopen(ana, ana.resumeState());
    anaBack.send({ type: "send", c: ana.c, cid: "a2", text: "Please forget this" });

    expect(anaBack.last("deleted")).toMatchObject({ from: ana.id, cid: "a2" });
    expect(roomTexts(t, ana.c)).not.toContain("Please forget this");
  });

  it("an erase takes the tombstones with it: nothing before the erase point is kept", () => {
    const { t, host, ana, seq } = clinic();
    host.send({ type: "delete", c: ana.c, seq: seq("a1") });

    host.send({ type: "close", c: ana.c, upto: seq("d1") });

    expect(tombstones(t.staff("Dr. Okafor", "host"), ana.c)).toEqual([]);
    expect(roomCopy(t, ana.c)).toEqual([] as ChatMessage[]);
  });
});
