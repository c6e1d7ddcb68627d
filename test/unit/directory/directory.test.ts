import { describe, expect, it } from "vitest";
import { Directory, GUESS_LIMITS, type RoomsPort } from "../../../worker/directory/directory";
import type { GuestAdmission } from "../../../worker/room/room";
import { FakeClock } from "../../support/fakes";

// The directory of access codes for every room: code → room and session,
// in memory only, with the one plain refusal and the limits on guessing.

const HOUR = 3_600_000;

/** A directory whose rooms admit whoever brings a code they hold (`open`), and refuse the rest as the room would. */
function directory(limits: Partial<typeof GUESS_LIMITS> = {}) {
  const clock = new FakeClock();
  const open = new Set<string>();
  const asked: string[] = [];
  const rooms: RoomsPort = {
    admitGuest: async (room, c, code, name): Promise<GuestAdmission> => {
      asked.push(`${room}/${c}/${code}`);
      return open.has(code) ? { ok: true, id: `guest-${name}`, c, joinedAt: clock.now() } : { ok: false, reason: "invalid" };
    },
  };
  const dir = new Directory({ rooms, now: () => clock.now(), limits });
  /** A code made for `room`'s session `c`, which that room holds. */
  const make = (room = "clinic", c = "c-ana") => {
    const code = dir.issue(room, c, clock.now() + 2 * HOUR)!;
    open.add(code);
    return code;
  };
  return { clock, dir, open, asked, make };
}

const INVALID = { ok: false, reason: "invalid" };
const TOO_MANY = { ok: false, reason: "too_many" };

describe("looking up a code", () => {
  it("finds the room and session of a live code; the room admits the guest", async () => {
    const { dir, make } = directory();
    const code = make("clinic", "c-ana");

    expect(await dir.redeem(code, "Grace", "198.51.100.1")).toEqual({ ok: true, room: "clinic", guest: { id: "guest-Grace", c: "c-ana", name: "Grace", joinedAt: expect.any(Number) } });
  });

  it("gives one answer for a code nobody made, a withdrawn one, an expired one, one the room no longer holds, and a malformed one", async () => {
    const { clock, dir, open, make } = directory();
    const withdrawn = make();
    dir.withdraw("clinic", [withdrawn]);
    const dropped = make();
    open.delete(dropped);
    const expiring = make();
    clock.advance(2 * HOUR);

    const answers = await Promise.all(["000000001", withdrawn, dropped, expiring, "12345"].map((code, i) => dir.redeem(code, "Grace", `198.51.100.${i}`)));

    expect(answers).toEqual(Array(5).fill(INVALID));
  });

  it("forgets a code its room refused, without asking the room again", async () => {
    const { dir, open, asked, make } = directory();
    const code = make();
    open.delete(code);

    await dir.redeem(code, "Grace", "198.51.100.1");
    await dir.redeem(code, "Grace", "198.51.100.2");

    expect(asked).toHaveLength(1);
    expect(dir.size).toBe(0);
  });

  it("a room withdraws only its own codes", async () => {
    const { dir, make } = directory();
    const code = make("clinic");

    dir.withdraw("another-clinic", [code]);

    expect((await dir.redeem(code, "Grace", "198.51.100.1")).ok).toBe(true);
  });
});

describe("guessing is limited", () => {
  it(`at most ${GUESS_LIMITS.perAddress} wrong codes per address per minute; then every try is refused, the right code too`, async () => {
    const { clock, dir, make } = directory();
    const code = make();
    for (let i = 0; i < GUESS_LIMITS.perAddress; i++) expect(await dir.redeem(`00000000${i}`, "Eve", "203.0.113.66")).toEqual(INVALID);

    expect(await dir.redeem(code, "Eve", "203.0.113.66")).toEqual(TOO_MANY);
    clock.advance(59_000);
    expect(await dir.redeem(code, "Eve", "203.0.113.66")).toEqual(TOO_MANY);
    clock.advance(1_000);
    expect((await dir.redeem(code, "Eve", "203.0.113.66")).ok).toBe(true);
  });

  it("the limit is a sliding minute: ten wrong tries spread over a minute leave no room for an eleventh", async () => {
    const { clock, dir } = directory();
    for (let i = 0; i < GUESS_LIMITS.perAddress; i++) {
      await dir.redeem("000000000", "Eve", "203.0.113.66");
      clock.advance(5_000);
    }

    expect(await dir.redeem("000000000", "Eve", "203.0.113.66")).toEqual(TOO_MANY);
    clock.advance(10_000);
    expect(await dir.redeem("000000000", "Eve", "203.0.113.66")).toEqual(INVALID);
  });

  it("one address's wrong tries do not hold back another's", async () => {
    const { dir, make } = directory();
    const code = make();
    for (let i = 0; i < 20; i++) await dir.redeem("000000000", "Eve", "203.0.113.66");

    expect((await dir.redeem(code, "Grace", "198.51.100.7")).ok).toBe(true);
  });

  it("right codes are not counted against an address", async () => {
    const { dir, make } = directory();
    for (let i = 0; i < 15; i++) expect((await dir.redeem(make("clinic", `c-${i}`), "Family", "198.51.100.7")).ok).toBe(true);
  });

  it("many addresses together get no more wrong tries than the limit for everyone", async () => {
    const { dir, make } = directory({ everywhere: 25 });
    const code = make();
    for (let i = 0; i < 25; i++) await dir.redeem("000000000", "Eve", `203.0.113.${i}`);

    expect(await dir.redeem(code, "Grace", "198.51.100.7")).toEqual(TOO_MANY);
  });
});

describe("codes", () => {
  it("are unique among live codes: a draw that hits one is drawn again", () => {
    const clock = new FakeClock();
    const draws = [123_456_789, 123_456_789, 987_654_321];
    const dir = new Directory({ rooms: { admitGuest: async () => ({ ok: false, reason: "invalid" }) }, now: () => clock.now(), draw: () => draws.shift()! });

    expect(dir.issue("a", "c1", clock.now() + HOUR)).toBe("123456789");
    expect(dir.issue("b", "c2", clock.now() + HOUR)).toBe("987654321");
  });

  it("renewing brings a room's codes back after the directory lost them, and refuses one another session holds", async () => {
    const { clock, dir, open } = directory();
    const until = clock.now() + HOUR;
    open.add("111111111");
    const taken = dir.issue("other", "c-x", until)!;

    const refused = dir.renew("clinic", [
      { code: "111111111", c: "c-ana", until },
      { code: taken, c: "c-ana", until },
    ]);

    expect(refused).toEqual([taken]);
    expect(await dir.redeem("111111111", "Grace", "198.51.100.1")).toMatchObject({ ok: true, room: "clinic" });
  });

  it("forget codes whose lifetime ended", () => {
    const { clock, dir, make } = directory();
    make();
    clock.advance(HOUR);
    make();
    clock.advance(HOUR + 1);

    expect(dir.prune()).toBe(1);
  });
});
