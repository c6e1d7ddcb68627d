import { describe, expect, it } from "vitest";
import { CLOSE } from "../../../protocol/wire";
import { Client, GRACE_MS, setup } from "../../support/fakes";

describe("checking in", () => {
  it("a checked-in patient appears in the staff page's queue as waiting, with their conversation", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    expect(provider.of("patient").map((f) => f.patient)).toEqual([{ c: ana.c, id: ana.id, name: "Ana Lima", checkedInAt: t.clock.now(), status: "waiting" }]);
    expect(t.room.queueSnapshot().map((p) => p.name)).toEqual(["Ana Lima"]);
  });

  it("refuses patients beyond the room's capacity, but lets a patient already in re-check in", () => {
    const t = setup({ capacity: 2 });
    const ana = t.patientIdentity("Ana Lima");
    expect(t.room.admit(ana)).toBe(true);
    expect(t.room.admit(t.patientIdentity("Bo Chen"))).toBe(true);

    expect(t.room.checkIn("Cy Diaz", "test")).toEqual({ ok: false, reason: "full" });
    expect(t.room.admit(t.patientIdentity("Di Evans"))).toBe(false);
    expect(t.room.admit(ana)).toBe(true);
    expect(t.room.patientCount).toBe(2);
  });

  it("a patient whose cookie outlived the room's memory is re-admitted at their original check-in time", () => {
    const t = setup();
    const early = t.patientIdentity("Ana Lima", t.clock.now() - 5 * 60_000);
    t.patient("Bo Chen");

    const page = new Client(t.room, early).hello();

    expect(page.last("welcome")).toMatchObject({ self: { id: early.id, name: "Ana Lima", role: "patient" }, c: early.c });
    expect(t.room.queueSnapshot().map((p) => p.name)).toEqual(["Ana Lima", "Bo Chen"]);
  });

  it("a returning patient who finds the room full is told so and their socket is closed", () => {
    const t = setup({ capacity: 1 });
    t.patient("Bo Chen");

    const page = new Client(t.room, t.patientIdentity("Ana Lima")).hello();

    expect(page.last("error")?.code).toBe("forbidden");
    expect(page.peer.closedWith?.code).toBe(CLOSE.left);
    expect(t.room.patientCount).toBe(1);
  });
});

describe("a closed door stays closed", () => {
  it("a patient who left cannot come back on the same cookie", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.send({ type: "leave" });
    provider.clear();

    const replayed = new Client(t.room, ana.identity).hello();

    expect(replayed.last("error")?.code).toBe("forbidden");
    expect(replayed.peer.closedWith?.code).toBe(CLOSE.left);
    expect(replayed.of("welcome")).toEqual([]);
    expect(t.room.admit(ana.identity)).toBe(false);
    expect(provider.frames).toEqual([]);
  });

  it("a patient whose session ended cannot come back on the same cookie: the page is told the session ended", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    provider.send({ type: "start_session", c: ana.c });
    provider.send({ type: "end_session", c: ana.c });

    const replayed = new Client(t.room, ana.identity).hello();

    expect(replayed.last("error")?.code).toBe("forbidden");
    expect(replayed.peer.closedWith?.code).toBe(CLOSE.ended);
    expect(replayed.of("welcome")).toEqual([]);
    expect(t.room.patientCount).toBe(0);
  });

  it("a scheduled session that ended admits nobody through its link again", () => {
    const t = setup();
    const provider = t.provider();
    const first = t.room.checkIn("Ana Lima", "test", { id: "sched-0123456789abcdef" });
    if (!first.ok) throw new Error("refused");
    provider.send({ type: "end_session", c: first.c });

    expect(t.room.checkIn("Ana Lima", "test", { id: "sched-0123456789abcdef" })).toEqual({ ok: false, reason: "ended" });
  });

  it("a scheduled session's link admits one person: a second is refused as taken", () => {
    const t = setup();
    const provider = t.provider();

    const first = t.room.checkIn("Ana Lima", "test", { id: "sched-0123456789abcdef" });
    const second = t.room.checkIn("Eve Other", "test", { id: "sched-0123456789abcdef" });

    expect(first.ok).toBe(true);
    expect(second).toEqual({ ok: false, reason: "taken" });
    expect(provider.of("patient").map((p) => p.patient.name)).toEqual(["Ana Lima"]);
  });

  it("the patient who opened a scheduled session may come back to it", () => {
    const t = setup();
    const first = t.room.checkIn("Ana Lima", "test", { id: "sched-0123456789abcdef" });
    if (!first.ok) throw new Error("refused");
    const identity = { role: "patient" as const, id: first.id, name: "Ana Lima", c: first.c, checkedInAt: first.checkedInAt, session: { id: "sched-0123456789abcdef", startedAt: first.checkedInAt, scheduled: true as const } };

    const page = new Client(t.room, identity).hello();

    expect(page.last("welcome")?.session).toEqual(identity.session);
  });
});

describe("the queue", () => {
  it("is ordered by check-in time, not by when patients connected", () => {
    const t = setup();
    const now = t.clock.now();
    for (const [name, at] of [
      ["Late Comer", now],
      ["First Arrival", now - 120_000],
      ["Second Arrival", now - 60_000],
    ] as const) {
      new Client(t.room, t.patientIdentity(name, at)).hello();
    }

    const provider = t.provider();

    expect(provider.last("queue")?.patients.map((p) => p.name)).toEqual(["First Arrival", "Second Arrival", "Late Comer"]);
  });

  it("a staff page gets a snapshot on hello, then live patient and patient_left updates", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const provider = t.provider();
    expect(provider.frames.map((f) => f.type)).toEqual(["welcome", "staff_list", "queue"]);
    expect(provider.last("queue")?.patients.map((p) => p.id)).toEqual([ana.id]);
    provider.clear();

    const bo = t.patient("Bo Chen");
    ana.send({ type: "leave" });

    expect(provider.frames).toEqual([
      { type: "patient", patient: expect.objectContaining({ id: bo.id, c: bo.c, name: "Bo Chen", status: "waiting" }) },
      { type: "patient_left", c: ana.c },
    ]);
  });

  it("a staff page's welcome carries the server clock, the room epoch and who they are", () => {
    const t = setup();
    const provider = t.provider("Dr. Rivera");

    expect(provider.last("welcome")).toMatchObject({
      v: 2,
      room: "clinic",
      epoch: t.room.epoch,
      now: t.clock.now(),
      self: { id: provider.id, name: "Dr. Rivera", role: "host" },
      pass: expect.any(String),
    });
    expect(provider.last("welcome")).not.toHaveProperty("c");
  });
});

describe("leaving and coming back", () => {
  it("a dropped patient shows as away, then leaves after the grace period and can no longer be written to", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    provider.clear();

    ana.drop();
    expect(provider.last("patient")?.patient).toMatchObject({ id: ana.id, status: "away" });

    t.clock.advance(GRACE_MS - 1);
    expect(provider.of("patient_left")).toEqual([]);
    t.clock.advance(1);
    expect(provider.of("patient_left")).toEqual([{ type: "patient_left", c: ana.c }]);

    provider.send({ type: "send", c: ana.c, cid: "c1", text: "Are you still there?" });
    expect(provider.last("error")).toMatchObject({ code: "recipient_left", cid: "c1" });
    expect(provider.of("msg")).toEqual([]);
  });

  it("a patient who reconnects within the grace period keeps their place in the queue", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    t.clock.advance(1_000);
    t.patient("Bo Chen");
    const provider = t.provider();

    ana.drop();
    t.clock.advance(GRACE_MS - 1);
    t.resume(ana);
    provider.clear();
    t.clock.advance(GRACE_MS * 2);

    expect(provider.of("patient_left")).toEqual([]);
    expect(t.room.queueSnapshot().map((p) => [p.name, p.status])).toEqual([
      ["Ana Lima", "waiting"],
      ["Bo Chen", "waiting"],
    ]);
  });

  it("a patient whose grace period ran out may come back on their cookie, at their check-in time", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const provider = t.provider();
    ana.drop();
    t.clock.advance(GRACE_MS);

    const back = t.reopen(ana);

    expect(back.last("welcome")?.c).toBe(ana.c);
    expect(provider.last("patient")?.patient).toMatchObject({ id: ana.id, status: "waiting", checkedInAt: ana.identity.checkedInAt });
  });

  it("staff see a reconnected patient as waiting again", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const provider = t.provider();

    ana.drop();
    t.resume(ana);

    expect(provider.of("patient").map((p) => p.patient.status)).toEqual(["away", "waiting"]);
  });

  it("a patient with a second tab open stays waiting when one tab closes", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    t.reopen(ana);
    const provider = t.provider();

    ana.drop();
    t.clock.advance(GRACE_MS * 2);

    expect(provider.of("patient")).toEqual([]);
    expect(t.room.queueSnapshot()[0]?.status).toBe("waiting");
  });

  it("a patient who checks in but never connects leaves after the grace period", () => {
    const t = setup();
    const provider = t.provider();
    const identity = t.checkIn("Ana Lima");

    t.clock.advance(GRACE_MS);

    expect(provider.of("patient_left")).toEqual([{ type: "patient_left", c: identity.c }]);
  });

  it("a leave frame removes the patient at once and closes every page of theirs for good", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    const otherTab = t.reopen(ana);

    ana.send({ type: "leave" });

    expect(provider.of("patient_left")).toEqual([{ type: "patient_left", c: ana.c }]);
    expect(ana.peer.closedWith?.code).toBe(CLOSE.left);
    expect(otherTab.peer.closedWith?.code).toBe(CLOSE.left);
    expect(t.room.queueSnapshot()).toEqual([]);
  });
});
