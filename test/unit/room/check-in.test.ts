import { describe, expect, it } from "vitest";
import { setup } from "../../support/fakes";

// Check-ins are limited per client address (10 at once, then 10 a minute),
// so one network cannot fill the queue. The worker answers a refusal with 429.

const OFFICE = "203.0.113.7";
const HOME = "198.51.100.23";

const limited = () => setup({ checkInsPerMinute: 10 });

describe("check-ins from one address", () => {
  it("the 11th check-in within a minute is refused and never reaches the queue", () => {
    const t = limited();
    const provider = t.provider();

    const results = Array.from({ length: 11 }, (_, i) => t.room.checkIn(`Patient ${i + 1}`, OFFICE));

    expect(results.slice(0, 10).map((r) => r.ok)).toEqual(Array(10).fill(true));
    expect(results[10]).toEqual({ ok: false, reason: "too_many" });
    expect(t.room.patientCount).toBe(10);
    expect(provider.of("patient").map((m) => m.patient.name)).not.toContain("Patient 11");
  });

  it("each check-in gets its own patient id and conversation, and the server's time", () => {
    const t = limited();

    const [a, b] = [t.room.checkIn("Ana Lima", HOME), t.room.checkIn("Bo Chen", HOME)];

    expect(a).toMatchObject({ ok: true, id: expect.any(String), c: expect.any(String), checkedInAt: t.clock.now() });
    if (!a.ok || !b.ok) throw new Error("refused");
    expect(new Set([a.id, a.c, b.id, b.c]).size).toBe(4);
    expect(t.room.queueSnapshot().map((p) => [p.id, p.c])).toEqual([
      [a.id, a.c],
      [b.id, b.c],
    ]);
  });

  it("another address still gets in", () => {
    const t = limited();
    for (let i = 0; i < 11; i++) t.room.checkIn(`Office ${i + 1}`, OFFICE);

    expect(t.room.checkIn("Ana Lima", HOME).ok).toBe(true);
    expect(t.room.queueSnapshot().map((p) => p.name)).toContain("Ana Lima");
  });

  it("the allowance refills over a minute: one more after six seconds, ten more after a minute", () => {
    const t = limited();
    for (let i = 0; i < 10; i++) t.room.checkIn(`Early ${i + 1}`, OFFICE);

    t.clock.advance(6_000);
    expect(t.room.checkIn("Six Seconds", OFFICE).ok).toBe(true);
    expect(t.room.checkIn("Too Soon", OFFICE)).toEqual({ ok: false, reason: "too_many" });

    t.clock.advance(60_000);
    const later = Array.from({ length: 11 }, (_, i) => t.room.checkIn(`Later ${i + 1}`, OFFICE).ok);
    expect(later).toEqual([...Array(10).fill(true), false]);
  });
});
