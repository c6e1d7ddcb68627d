import { describe, expect, it } from "vitest";
import { TICK_MS } from "../../../worker/room/heartbeat";
import { GRACE_MS, setup } from "../../support/fakes";

// Everyone in the room and their pages: online while a page is open, then a
// grace period (a dropped connection may come back) before they are gone.

describe("staff presence, as patients see it", () => {
  it("patients are told when staff come online and when the last staff page closes", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    expect(ana.last("welcome")?.staffOnline).toBe(false);

    const provider = t.provider();
    expect(ana.of("staff_online")).toEqual([{ type: "staff_online", online: true }]);

    provider.drop();
    expect(ana.of("staff_online").map((f) => f.online)).toEqual([true, false]);
  });

  it("a patient who arrives while staff are online is told so in their welcome", () => {
    const t = setup();
    t.provider();

    expect(t.patient("Ana Lima").last("welcome")?.staffOnline).toBe(true);
  });

  it("a second staff page, or a colleague's, does not repeat the notices; the last one closing does", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const first = t.provider();
    const second = t.provider();
    const desk = t.staff("Sam Front", "staff");

    first.drop();
    second.drop();
    expect(ana.of("staff_online")).toEqual([{ type: "staff_online", online: true }]);

    desk.drop();
    expect(ana.of("staff_online").map((f) => f.online)).toEqual([true, false]);
  });
});

describe("staff presence, as colleagues see it", () => {
  it("a colleague signing in is announced to the staff pages already open, and listed to the newcomer", () => {
    const t = setup();
    const host = t.provider("Dr. Rivera");

    const desk = t.staff("Sam Front", "staff");

    expect(host.last("staff_member")).toEqual({ type: "staff_member", member: { id: desk.id, name: "Sam Front", role: "staff", presence: "online" } });
    expect(desk.last("staff_list")?.members.map((m) => [m.name, m.presence])).toEqual([
      ["Dr. Rivera", "online"],
      ["Sam Front", "online"],
    ]);
  });

  it("a colleague is away when every page of theirs is hidden, and online again when one is in use", () => {
    const t = setup();
    const host = t.provider("Dr. Rivera");
    const desk = t.staff("Sam Front", "staff");
    const deskTab = t.reopen(desk);
    host.clear();

    desk.send({ type: "presence", away: true });
    expect(host.frames).toEqual([]);
    deskTab.send({ type: "presence", away: true });
    expect(host.last("staff_member")?.member).toMatchObject({ id: desk.id, presence: "away" });
    desk.send({ type: "presence", away: false });

    expect(host.of("staff_member").map((f) => f.member.presence)).toEqual(["away", "online"]);
  });

  it("a colleague whose pages all closed is away, then gone after the grace period", () => {
    const t = setup();
    const host = t.provider("Dr. Rivera");
    const desk = t.staff("Sam Front", "staff");
    host.clear();

    desk.drop();
    expect(host.frames).toEqual([{ type: "staff_member", member: expect.objectContaining({ id: desk.id, presence: "away" }) }]);
    t.clock.advance(GRACE_MS);

    expect(host.last("staff_gone")).toEqual({ type: "staff_gone", id: desk.id });
  });

  it("a colleague back within the grace period is online again and never gone", () => {
    const t = setup();
    const host = t.provider("Dr. Rivera");
    const desk = t.staff("Sam Front", "staff");
    desk.drop();

    t.clock.advance(GRACE_MS - 1);
    t.resume(desk);
    t.clock.advance(GRACE_MS);

    expect(host.of("staff_gone")).toEqual([]);
    expect(host.last("staff_member")?.member).toMatchObject({ id: desk.id, presence: "online" });
  });

  it("a patient's presence frame changes nothing", () => {
    const t = setup();
    const host = t.provider();
    const ana = t.patient("Ana Lima");
    host.clear();
    ana.clear();

    ana.send({ type: "presence", away: true });

    expect(host.frames).toEqual([]);
    expect(ana.frames).toEqual([]);
  });
});

describe("the grace period ending", () => {
  it("a staff conversation lives while one of its members is in the room, and goes with the last", () => {
    const t = setup();
    const host = t.provider("Dr. Rivera");
    const desk = t.staff("Sam Front", "staff");
    host.send({ type: "direct", with: desk.id });
    const c = host.last("conversation")!.c;
    desk.send({ type: "send", c, cid: "d1", text: "Room 3 is free" });

    desk.drop();
    t.clock.advance(GRACE_MS);
    const again = t.reopen(host, { ...host.resumeState(), n: 0 });
    expect(again.texts()).toContain("Room 3 is free");
    host.drop();
    again.drop();
    t.clock.advance(GRACE_MS);

    const back = t.staff("Dr. Rivera");
    back.send({ type: "send", c, cid: "p1", text: "Anyone?" });
    expect(back.last("error")).toMatchObject({ code: "recipient_left", c });
  });

  it("people whose grace period ended leave a bounded number per timer turn", () => {
    const t = setup({ capacity: 1_000 });
    const provider = t.provider();
    // Five hundred check-ins whose pages never connect: all their grace periods end at once.
    for (let i = 0; i < 500; i++) t.checkIn(`Patient ${i}`);
    t.clock.advance(GRACE_MS - TICK_MS);
    provider.clear();

    const perTurn: number[] = [];
    for (let turn = 0; turn < 4; turn++) {
      t.clock.advance(TICK_MS);
      perTurn.push(provider.of("patient_left").length);
      provider.clear();
    }

    expect(perTurn).toEqual([200, 200, 100, 0]);
    expect(t.room.patientCount).toBe(0);
  });
});
