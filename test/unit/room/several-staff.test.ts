import { describe, expect, it } from "vitest";
import { setup } from "../../support/fakes";
import { roomTexts } from "../../support/rejoin";

// Several staff members in one waiting room: each sees the whole queue and
// every patient's messages, sees who is chatting with whom, and nobody
// loses what they are reading when a colleague closes the same chat.

/** Dr. Rivera (host) and Sam (front desk) signed in; Ana and Bo waiting, one message each. */
function twoStaff() {
  const t = setup();
  const rivera = t.provider("Dr. Rivera");
  const sam = t.staff("Sam Front", "staff");
  const ana = t.patient("Ana Lima");
  const bo = t.patient("Bo Chen");
  ana.send({ type: "send", c: ana.c, cid: "a1", text: "Ana here" });
  bo.send({ type: "send", c: bo.c, cid: "b1", text: "Bo here" });
  return { t, rivera, sam, ana, bo };
}

describe("two staff members", () => {
  it("both get the queue and every patient's messages, and both are heard by the patient", () => {
    const { rivera, sam, ana, bo } = twoStaff();

    sam.send({ type: "send", c: ana.c, cid: "s1", text: "The doctor will see you soon." });
    rivera.send({ type: "send", c: ana.c, cid: "r1", text: "Hello Ana." });

    for (const page of [rivera, sam]) {
      expect(page.of("patient").map((p) => p.patient.name)).toEqual(["Ana Lima", "Bo Chen"]);
      expect(page.copy(ana.c).map((m) => m.text)).toEqual(["Ana here", "The doctor will see you soon.", "Hello Ana."]);
      expect(page.copy(bo.c).map((m) => m.text)).toEqual(["Bo here"]);
    }
    expect(ana.texts()).toEqual(["Ana here", "The doctor will see you soon.", "Hello Ana."]);
  });

  it("every staff page is told who has which chat open, and a page that opens later is told too", () => {
    const { t, rivera, sam, ana } = twoStaff();

    rivera.send({ type: "view", c: ana.c });
    sam.send({ type: "view", c: ana.c });
    const later = t.staff("Lee Other", "staff");
    rivera.send({ type: "view", c: null });

    expect(sam.of("viewers")).toEqual([
      { type: "viewers", c: ana.c, staff: [rivera.id] },
      { type: "viewers", c: ana.c, staff: [rivera.id, sam.id] },
      { type: "viewers", c: ana.c, staff: [sam.id] },
    ]);
    expect(later.of("viewers")).toEqual([
      { type: "viewers", c: ana.c, staff: [rivera.id, sam.id] },
      { type: "viewers", c: ana.c, staff: [sam.id] },
    ]);
  });

  it("a page that closes no longer counts as viewing", () => {
    const { rivera, sam, ana } = twoStaff();
    sam.send({ type: "view", c: ana.c });

    sam.drop();

    expect(rivera.last("viewers")).toEqual({ type: "viewers", c: ana.c, staff: [] });
  });
});

describe("closing a chat a colleague has open", () => {
  it("erases it for the one who closed it only: their pages drop it, the colleague and the patient keep it", () => {
    const { t, rivera, sam, ana } = twoStaff();
    const riveraTab = t.reopen(rivera);
    sam.send({ type: "view", c: ana.c });
    rivera.send({ type: "view", c: ana.c });
    sam.clear();
    ana.clear();

    rivera.send({ type: "close", c: ana.c, upto: 1 });

    const mine = { type: "erased", c: ana.c, upto: 1, mine: true };
    expect(rivera.last("erased")).toEqual(mine);
    expect(riveraTab.last("erased")).toEqual(mine);
    expect(sam.of("erased")).toEqual([]);
    expect(ana.frames).toEqual([]);
    expect(roomTexts(t, ana.c)).toEqual(["Ana here"]);
  });

  it("the one who closed it is never sent those messages again", () => {
    const { t, rivera, sam, ana } = twoStaff();
    sam.send({ type: "view", c: ana.c });
    rivera.send({ type: "close", c: ana.c, upto: 1 });
    ana.send({ type: "send", c: ana.c, cid: "a2", text: "Later" });
    rivera.drop();

    const back = t.reopen(rivera, { ...rivera.resumeState(), n: 0 });

    expect(back.copy(ana.c).map((m) => m.text)).toEqual(["Later"]);
    expect(back.of("erased")).toContainEqual({ type: "erased", c: ana.c, upto: 1, mine: true });
  });

  it("erases it for everyone once the last one who had it open closes it too", () => {
    const { t, rivera, sam, ana } = twoStaff();
    sam.send({ type: "view", c: ana.c });
    rivera.send({ type: "close", c: ana.c, upto: 1 });

    sam.send({ type: "close", c: ana.c, upto: 1 });

    const everyone = { type: "erased", c: ana.c, upto: 1 };
    expect(ana.last("erased")).toEqual(everyone);
    expect(sam.last("erased")).toEqual(everyone);
    expect(rivera.last("erased")).toEqual(everyone);
    expect(roomTexts(t, ana.c)).toEqual([]);
  });

  it("another tab of the same person having it open is no colleague: closing erases it for everyone", () => {
    const { t, rivera, sam, ana } = twoStaff();
    const riveraTab = t.reopen(rivera);
    riveraTab.send({ type: "view", c: ana.c });

    rivera.send({ type: "close", c: ana.c, upto: 1 });

    const everyone = { type: "erased", c: ana.c, upto: 1 };
    expect(ana.last("erased")).toEqual(everyone);
    expect(sam.last("erased")).toEqual(everyone);
    expect(riveraTab.last("erased")).toEqual(everyone);
    expect(roomTexts(t, ana.c)).toEqual([]);
  });
});

describe("a staff member's reload while a colleague is chatting", () => {
  it("erases what the reloading person was shown, for everyone where nobody else has it open", () => {
    const { t, rivera, sam, ana, bo } = twoStaff();
    rivera.drop();

    t.staff("Dr. Rivera");

    expect(ana.last("erased")).toEqual({ type: "erased", c: ana.c, upto: 1 });
    expect(bo.last("erased")).toEqual({ type: "erased", c: bo.c, upto: 2 });
    expect(sam.of("erased").map((f) => f.c)).toEqual([ana.c, bo.c]);
    expect(roomTexts(t, ana.c)).toEqual([]);
    expect(roomTexts(t, bo.c)).toEqual([]);
  });

  it("erases only for the reloading person what a colleague is viewing", () => {
    const { t, rivera, sam, ana } = twoStaff();
    sam.send({ type: "view", c: ana.c });
    rivera.drop();

    const reloaded = t.staff("Dr. Rivera");

    expect(reloaded.copy(ana.c)).toEqual([]);
    expect(sam.of("erased").filter((f) => f.c === ana.c)).toEqual([]);
    expect(ana.of("erased")).toEqual([]);
    expect(roomTexts(t, ana.c)).toEqual(["Ana here"]);
    expect(sam.copy(ana.c).map((m) => m.text)).toEqual(["Ana here"]);
  });

  it("keeps what the reloading person had not been shown yet", () => {
    const { t, rivera, sam, ana } = twoStaff();
    sam.send({ type: "view", c: ana.c });
    rivera.drop();
    ana.send({ type: "send", c: ana.c, cid: "a2", text: "Written while Dr. Rivera was away" });

    const reloaded = t.staff("Dr. Rivera");

    expect(reloaded.copy(ana.c).map((m) => m.text)).toEqual(["Written while Dr. Rivera was away"]);
    expect(roomTexts(t, ana.c)).toEqual(["Ana here", "Written while Dr. Rivera was away"]);
  });
});
