import { describe, expect, it } from "vitest";
import { CLOSE } from "../../worker/protocol";
import { Client, GRACE_MS, setup } from "./fakes";

describe("checking in", () => {
  it("a checked-in patient appears in the provider's queue as waiting", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    expect(provider.last("patient")?.patient).toEqual({
      id: ana.id,
      name: "Ana Lima",
      checkedInAt: t.clock.now(),
      status: "waiting",
    });
    expect(t.room.queue().map((p) => p.name)).toEqual(["Ana Lima"]);
  });

  it("refuses patients beyond the room's capacity, but lets a patient already in re-check in", () => {
    const t = setup({ capacity: 2 });
    const a = t.patientIdentity("Ana Lima");
    expect(t.room.admit(a)).toEqual({ ok: true });
    expect(t.room.admit(t.patientIdentity("Bo Chen"))).toEqual({ ok: true });

    expect(t.room.admit(t.patientIdentity("Cy Diaz"))).toEqual({ ok: false, reason: "full" });
    expect(t.room.admit(a)).toEqual({ ok: true });
    expect(t.room.patientCount).toBe(2);
  });

  it("a patient whose session outlived the room's memory is re-admitted at their original check-in time", () => {
    const t = setup();
    const early = t.patientIdentity("Ana Lima", t.clock.now() - 5 * 60_000);
    t.patient("Bo Chen");

    const page = new Client(t.room, early).hello();

    expect(page.last("welcome")?.self).toEqual({ id: early.id, name: "Ana Lima" });
    expect(t.room.queue().map((p) => p.name)).toEqual(["Ana Lima", "Bo Chen"]);
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

describe("the queue", () => {
  it("is ordered by check-in time, not by when patients connected", () => {
    const t = setup();
    const now = t.clock.now();
    t.patient("Late Comer", now);
    t.patient("First Arrival", now - 120_000);
    t.patient("Second Arrival", now - 60_000);

    const provider = t.provider();

    expect(provider.last("queue")?.patients.map((p) => p.name)).toEqual(["First Arrival", "Second Arrival", "Late Comer"]);
  });

  it("the provider gets a snapshot on hello, then live patient and patient_left updates", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const provider = t.provider();
    expect(provider.frames.map((f) => f.type)).toEqual(["welcome", "queue"]);
    expect(provider.last("queue")?.patients.map((p) => p.id)).toEqual([ana.id]);
    provider.clear();

    const bo = t.patient("Bo Chen");
    ana.send({ type: "leave" });

    expect(provider.frames).toEqual([
      { type: "patient", patient: expect.objectContaining({ id: bo.id, name: "Bo Chen", status: "waiting" }) },
      { type: "patient_left", id: ana.id },
    ]);
  });

  it("the provider's welcome carries the server clock and the room epoch", () => {
    const t = setup();
    const provider = t.provider("Dr. Rivera");

    expect(provider.last("welcome")).toMatchObject({
      role: "provider",
      room: "clinic",
      epoch: t.room.epoch,
      now: t.clock.now(),
      self: { name: "Dr. Rivera" },
    });
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
    expect(provider.of("patient_left")).toEqual([{ type: "patient_left", id: ana.id }]);

    provider.send({ type: "send", cid: "c1", to: ana.id, text: "Are you still there?" });
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
    t.reopen(ana);
    provider.clear();
    t.clock.advance(GRACE_MS * 2);

    expect(provider.of("patient_left")).toEqual([]);
    expect(t.room.queue().map((p) => [p.name, p.status])).toEqual([
      ["Ana Lima", "waiting"],
      ["Bo Chen", "waiting"],
    ]);
  });

  it("the provider sees a reconnected patient as waiting again", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const provider = t.provider();

    ana.drop();
    t.reopen(ana);

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
    expect(t.room.queue()[0]?.status).toBe("waiting");
  });

  it("a patient who checks in but never connects leaves after the grace period", () => {
    const t = setup();
    const provider = t.provider();
    const identity = t.patientIdentity("Ana Lima");
    t.room.admit(identity);

    t.clock.advance(GRACE_MS);

    expect(provider.of("patient_left")).toEqual([{ type: "patient_left", id: identity.id }]);
  });

  it("a leave frame removes the patient at once and closes their socket for good", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    ana.send({ type: "leave" });

    expect(provider.of("patient_left")).toEqual([{ type: "patient_left", id: ana.id }]);
    expect(ana.peer.closedWith?.code).toBe(CLOSE.left);
    expect(t.room.queue()).toEqual([]);
  });
});

describe("provider presence", () => {
  it("patients are told when the provider comes online and goes offline", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    expect(ana.last("welcome")?.providerOnline).toBe(false);

    const provider = t.provider();
    expect(ana.of("provider")).toEqual([{ type: "provider", online: true }]);

    provider.drop();
    expect(ana.of("provider")).toEqual([
      { type: "provider", online: true },
      { type: "provider", online: false },
    ]);
  });

  it("a patient who arrives while the provider is online is told so in their welcome", () => {
    const t = setup();
    t.provider();

    expect(t.patient("Ana Lima").last("welcome")?.providerOnline).toBe(true);
  });

  it("a second provider tab does not repeat the notices; the last one closing does", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const first = t.provider();
    const second = t.provider();

    first.drop();
    expect(ana.of("provider")).toEqual([{ type: "provider", online: true }]);

    second.drop();
    expect(ana.of("provider").map((p) => p.online)).toEqual([true, false]);
  });
});
