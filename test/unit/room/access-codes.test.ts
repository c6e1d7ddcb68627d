import { describe, expect, it } from "vitest";
import { ACCESS_CODE } from "../../../protocol/access-code";
import { CLOSE, SESSION_LIMITS } from "../../../protocol/wire";
import { LEASE_MS, LIVE_CODES_PER_ROOM } from "../../../worker/room/access-codes";
import { RESTORE_WINDOW_MS } from "../../../worker/room/commands/participants";
import { Client, settled, setup } from "../../support/fakes";
import { heldBy, staffRejoins } from "../../support/rejoin";

// A session's access code lives in the room (its truth) and in the
// directory (which finds the session from the code). Every wrong case gets
// the same answer; codes die with their session; after a reset the host's
// page hands its live codes back.

async function session() {
  const t = setup();
  const host = t.provider("Dr. Rivera");
  const ana = t.patient("Ana Lima");
  host.send({ type: "start_session", c: ana.c });
  const code = await t.code(host, ana.c);
  return { t, host, ana, code };
}

const tryCode = (t: ReturnType<typeof setup>, code: string, address = "198.51.100.1") => t.directory.redeem(code, "Grace Interpreter", address);

describe("making codes", () => {
  it("only for a text-only session: a host in a waiting-room chat is told to start one first", async () => {
    const t = setup();
    const host = t.provider();
    const ana = t.patient("Ana Lima");

    host.send({ type: "new_code", c: ana.c });
    await settled();

    expect(host.last("error")).toMatchObject({ code: "bad_frame", message: "Start a text-only session first." });
    expect(host.of("access_code")).toEqual([]);
  });

  it("a front-desk member cannot make or withdraw a code: only a host licence adds participants", async () => {
    const { t, ana, code } = await session();
    const desk = t.staff("Sam Front", "staff");

    desk.send({ type: "new_code", c: ana.c });
    desk.send({ type: "withdraw_code", c: ana.c });
    await settled();

    expect(desk.of("error").map((e) => [e.code, e.message])).toEqual(Array(2).fill(["forbidden", "Only a provider with a host licence can do that."]));
    expect((await tryCode(t, code)).ok).toBe(true);
  });

  it("the host who makes a code is on the session's list: they added someone", async () => {
    const t = setup();
    const host = t.provider("Dr. Rivera");
    const okafor = t.staff("Dr. Okafor", "host");
    const ana = t.patient("Ana Lima");
    host.send({ type: "start_session", c: ana.c });

    await t.code(okafor, ana.c);

    expect(ana.last("participants")?.members.map((m) => m.name)).toEqual(["Ana Lima", "Dr. Rivera", "Dr. Okafor"]);
  });

  it("a session has one code: a new one replaces it, and the old one gets the plain refusal", async () => {
    const { t, host, ana, code } = await session();

    const next = await t.code(host, ana.c);

    expect(next).not.toBe(code);
    expect(await tryCode(t, code)).toEqual({ ok: false, reason: "invalid" });
    expect((await tryCode(t, next)).ok).toBe(true);
  });
});

describe("every wrong case gets the one plain answer", () => {
  it("a code nobody made, a withdrawn code and an expired code are refused alike", async () => {
    const { t, host, ana, code } = await session();
    const made = await setupAnother(t, host);

    host.send({ type: "withdraw_code", c: ana.c });
    await settled();
    t.clock.advance(ACCESS_CODE.lifetimeMs);

    const answers = [await tryCode(t, "000000000"), await tryCode(t, code), await tryCode(t, made)];
    expect(answers).toEqual(Array(3).fill({ ok: false, reason: "invalid" }));
    expect(host.last("access_code")).toMatchObject({ code: null });
  });

  it("a code typed with spaces or dashes is the same code", async () => {
    const { t, code } = await session();
    const typed = `${code.slice(0, 3)} ${code.slice(3, 6)}-${code.slice(6)}`;

    expect((await tryCode(t, typed)).ok).toBe(true);
  });
});

/** A second patient in a session with a code of its own. */
async function setupAnother(t: ReturnType<typeof setup>, host: Client): Promise<string> {
  const bo = t.patient("Bo Chen");
  host.send({ type: "start_session", c: bo.c });
  return t.code(host, bo.c);
}

describe("codes die with the session", () => {
  it.each([
    ["the host ends it", (host: Client, ana: Client) => host.send({ type: "end_session", c: ana.c })],
    ["the patient leaves", (_host: Client, ana: Client) => ana.send({ type: "leave_session", c: ana.c })],
    ["the host removes the patient", (host: Client, ana: Client) => host.send({ type: "remove", c: ana.c, id: ana.id })],
  ])("when %s, the code is refused and gone from the directory", async (_when, end) => {
    const { t, host, ana, code } = await session();

    end(host, ana);
    await settled();

    expect(t.directory.size).toBe(0);
    expect(await tryCode(t, code)).toEqual({ ok: false, reason: "invalid" });
  });

  it("a code whose session ended while the directory was making it is withdrawn at once", async () => {
    const { t, host, ana } = await session();
    host.send({ type: "withdraw_code", c: ana.c });
    await settled();

    host.send({ type: "new_code", c: ana.c });
    host.send({ type: "end_session", c: ana.c });
    await settled();

    expect(t.directory.size).toBe(0);
  });
});

describe("limits per room", () => {
  it("a room admits at most 10 guests a minute by code; then again after a minute", async () => {
    const { t, code } = await session();
    for (let i = 0; i < 10; i++) expect((await tryCode(t, code, `198.51.100.${i}`)).ok).toBe(true);

    expect(await tryCode(t, code, "198.51.100.99")).toEqual({ ok: false, reason: "too_many" });
    t.clock.advance(60_000);
    expect((await tryCode(t, code, "198.51.100.99")).ok).toBe(true);
  });

  it(`a room has at most ${LIVE_CODES_PER_ROOM} live codes: each is one more a guess can hit`, async () => {
    const t = setup({ capacity: LIVE_CODES_PER_ROOM + 5 });
    const host = t.provider();
    const patients = Array.from({ length: LIVE_CODES_PER_ROOM + 1 }, (_, i) => t.patient(`Patient ${i}`));
    // Paced as a host's clicks are: within the room's frame budget.
    for (const p of patients) {
      t.clock.advance(250);
      host.send({ type: "start_session", c: p.c });
    }
    for (const p of patients.slice(0, -1)) {
      t.clock.advance(250);
      await t.code(host, p.c);
    }

    host.send({ type: "new_code", c: patients.at(-1)!.c });
    await settled();

    expect(host.last("error")).toMatchObject({ code: "unavailable", message: expect.stringContaining(`${LIVE_CODES_PER_ROOM} access codes in use`) });
    expect(t.directory.size).toBe(LIVE_CODES_PER_ROOM);
    host.send({ type: "withdraw_code", c: patients[0]!.c });
    expect(await t.code(host, patients.at(-1)!.c)).toMatch(/^\d{9}$/);
  });

  it(`a session takes at most ${SESSION_LIMITS.guests} guests at once`, async () => {
    const { t, code } = await session();
    for (let i = 0; i < SESSION_LIMITS.guests; i++) {
      if (i % 10 === 0) t.clock.advance(60_000);
      expect((await tryCode(t, code, `198.51.100.${i}`)).ok).toBe(true);
    }
    t.clock.advance(60_000);

    expect(await tryCode(t, code)).toEqual({ ok: false, reason: "full" });
  });
});

describe("a directory that lost its memory", () => {
  it("has the room's live codes back within one renewal", async () => {
    const { t, code } = await session();
    t.resetDirectory();
    expect(await tryCode(t, code)).toEqual({ ok: false, reason: "invalid" });

    t.clock.advance(LEASE_MS + 1_000);
    await settled();

    expect((await tryCode(t, code, "198.51.100.2")).ok).toBe(true);
  });
});

describe("after a server restart", () => {
  /** A session with a guest and a code; then the room and the directory are reset (a deploy). */
  async function restarted() {
    const { t, host, ana, code } = await session();
    const grace = await t.guest(code, "Grace Interpreter");
    const held = heldBy(t, host);
    t.reset();
    t.resetDirectory();
    return { t, host, ana, grace, code, held };
  }

  it("the host's page hands its live code back: it works again, for the same session", async () => {
    const { t, host, ana, code, held } = await restarted();
    expect(await tryCode(t, code)).toEqual({ ok: false, reason: "invalid" });

    const back = staffRejoins(t, host, held);
    await settled();

    const joined = await tryCode(t, code, "198.51.100.3");
    expect(joined).toMatchObject({ ok: true, guest: { c: ana.c } });
    expect(back.of("error")).toEqual([]);
  });

  it("a code handed back by a front-desk page, or one the room did not sign, is not taken", async () => {
    const { t, host, ana, code, held } = await restarted();
    const desk = t.staff("Sam Front", "staff");
    const forged = { ...held[0]!, code: { ...held[0]!.code!, code: "123456789" } };

    staffRejoins(t, host, [{ ...held[0]!, code: undefined }]);
    staffRejoins(t, desk, [held[0]!], { pass: desk.last("welcome")!.pass, epoch: "an-earlier-epoch", n: 0 });
    staffRejoins(t, host, [forged]);
    await settled();

    expect(await tryCode(t, code)).toEqual({ ok: false, reason: "invalid" });
    expect(await tryCode(t, "123456789")).toEqual({ ok: false, reason: "invalid" });
    expect(ana.c).toBe(held[0]!.entry.c);
  });

  it("a guest is asked to try again until a staff page hands back the session's list, then comes in", async () => {
    const { t, host, ana, grace, held } = await restarted();
    t.reopen(ana);

    const early = t.reopen(grace);
    expect(early.peer.closedWith?.code).toBe(CLOSE.restoring);

    staffRejoins(t, host, held);
    const later = t.reopen(grace);
    expect(later.peer.closedWith).toBeUndefined();
    expect(later.last("welcome")).toMatchObject({ c: ana.c });
  });

  it("a guest removed before the restart stays out: a page that missed the removal lets them in only until the host's page comes back", async () => {
    const { t, host, ana, code } = await session();
    const desk = t.staff("Sam Front", "staff");
    const grace = await t.guest(code, "Grace Interpreter");
    // The front desk's page dropped before the removal and missed it.
    const stale = heldBy(t, desk);
    host.send({ type: "remove", c: ana.c, id: grace.id });
    const fresh = heldBy(t, host);
    t.reset();

    staffRejoins(t, desk, stale);
    const letIn = t.reopen(grace);
    staffRejoins(t, host, fresh);

    expect(letIn.peer.closedWith?.code).toBe(CLOSE.removed);
    expect(t.reopen(grace).peer.closedWith?.code).toBe(CLOSE.removed);
  });

  it(`a guest whose session no staff page handed back within ${RESTORE_WINDOW_MS / 60_000} minutes is told it ended`, async () => {
    const { t, grace } = await restarted();

    t.clock.advance(RESTORE_WINDOW_MS + 1_000);
    const page = t.reopen(grace);

    expect(page.peer.closedWith?.code).toBe(CLOSE.ended);
  });
});
