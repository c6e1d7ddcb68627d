import { describe, expect, it } from "vitest";
import { setup } from "./fakes";

// Check-ins are limited per client address (10 at once, then 10 a minute),
// so one network cannot fill the queue. The worker answers a refusal with 429.

const OFFICE = "203.0.113.7";
const HOME = "198.51.100.23";

describe("check-ins from one address", () => {
  it("the 11th check-in within a minute is refused and never reaches the queue", () => {
    const t = setup();
    const provider = t.provider();

    const results = Array.from({ length: 11 }, (_, i) => t.room.checkIn(t.patientIdentity(`Patient ${i + 1}`), OFFICE));

    expect(results.slice(0, 10)).toEqual(Array(10).fill({ ok: true }));
    expect(results[10]).toEqual({ ok: false, reason: "too_many" });
    expect(t.room.patientCount).toBe(10);
    expect(provider.of("patient").map((m) => m.patient.name)).not.toContain("Patient 11");
  });

  it("another address still gets in", () => {
    const t = setup();
    for (let i = 0; i < 11; i++) t.room.checkIn(t.patientIdentity(`Office ${i + 1}`), OFFICE);

    expect(t.room.checkIn(t.patientIdentity("Ana Lima"), HOME)).toEqual({ ok: true });
    expect(t.room.queue().map((p) => p.name)).toContain("Ana Lima");
  });

  it("the allowance refills over a minute: one more after six seconds, ten more after a minute", () => {
    const t = setup();
    for (let i = 0; i < 10; i++) t.room.checkIn(t.patientIdentity(`Early ${i + 1}`), OFFICE);

    t.clock.advance(6_000);
    expect(t.room.checkIn(t.patientIdentity("Six Seconds"), OFFICE)).toEqual({ ok: true });
    expect(t.room.checkIn(t.patientIdentity("Too Soon"), OFFICE)).toEqual({ ok: false, reason: "too_many" });

    t.clock.advance(60_000);
    const later = Array.from({ length: 11 }, (_, i) => t.room.checkIn(t.patientIdentity(`Later ${i + 1}`), OFFICE).ok);
    expect(later).toEqual([...Array(10).fill(true), false]);
  });
});
