import { describe, expect, it } from "vitest";
import { FILES } from "../../../protocol/files";
import { Allowance, Allowances } from "../../../worker/room/files/allowance";

// What one person may send: 1 GB in any 24 hours, counting what each
// transfer sets aside until it ends, then only what it moved.

const HOUR = 3_600_000;
const MB = 1_000_000;
const start = Date.UTC(2026, 0, 5, 9);

describe("a person's day", () => {
  it("counts a transfer in full while it moves, then only what it sent", () => {
    const allowance = new Allowance(start);
    const reservation = allowance.reserve(start, 200 * MB);
    expect(allowance.used(start)).toBe(200 * MB);

    reservation.settle(30 * MB);

    expect(allowance.used(start)).toBe(30 * MB);
  });

  it("takes exactly 1 GB, and not a byte more", () => {
    const allowance = new Allowance(start);
    for (let i = 0; i < 4; i++) allowance.reserve(start, 200 * MB);

    expect(allowance.fits(start, 200 * MB)).toBe(true);
    expect(allowance.fits(start, 200 * MB + 1)).toBe(false);
    expect(FILES.dayBytes).toBe(1_000 * MB);
  });

  it("forgets what was sent more than 24 hours ago, not before", () => {
    const allowance = new Allowance(start);
    allowance.reserve(start, 600 * MB);
    allowance.reserve(start + 10 * HOUR, 400 * MB);

    expect(allowance.fits(start + 24 * HOUR - 1, 1)).toBe(false);
    expect(allowance.used(start + 24 * HOUR + 1)).toBe(400 * MB);
    expect(allowance.used(start + 34 * HOUR + 1)).toBe(0);
  });

  it("merges old entries when there are many, never forgetting one early", () => {
    const allowance = new Allowance(start);
    for (let i = 0; i < 1_000; i++) allowance.reserve(start + i * 60_000, MB);

    expect(allowance.used(start + 1_000 * 60_000)).toBe(1_000 * MB);
  });

  it("a room forgets people with nothing counted, and keeps those with something", () => {
    const room = new Allowances();
    room.of("idle", start);
    room.of("busy", start).reserve(start, MB);
    const busy = room.of("busy", start);

    room.prune(start + 60_000);

    expect(room.of("busy", start + 60_000)).toBe(busy);
    expect(room.of("busy", start).used(start)).toBe(MB);
  });
});
