import { describe, expect, it } from "vitest";
import { CLOSE, type ServerMessageOf } from "../../../protocol/wire";
import { Client, GRACE_MS, setup } from "../../support/fakes";

// Guests (a family member, an interpreter) join a text-only session with
// the access code a host made. They are in that session only, from their
// joining on; everyone there sees who takes part and who is connected.

/** Dr. Rivera (host) in a text-only session with Ana, who wrote before it started, and a code for it. */
async function session() {
  const t = setup();
  const host = t.provider("Dr. Rivera");
  const ana = t.patient("Ana Lima");
  ana.send({ type: "send", c: ana.c, cid: "a1", text: "Before the session" });
  host.send({ type: "start_session", c: ana.c });
  const code = await t.code(host, ana.c);
  return { t, host, ana, code };
}

/** The participant list a page was last told, as "name (role)" with "gone" marks. */
function listed(page: Client, c: string): string[] {
  const frame = page.of("participants").filter((f) => f.c === c).at(-1);
  return (frame?.members ?? []).map((m) => `${m.name} (${m.role})${m.gone ? ` ${m.gone}` : ""}`);
}

const online = (page: Client, c: string): ServerMessageOf<"participants">["online"] => page.of("participants").filter((f) => f.c === c).at(-1)?.online ?? [];

describe("a guest joining by code", () => {
  it("is in the session: the patient, the guest and staff see the participant list with roles", async () => {
    const { t, host, ana, code } = await session();

    const grace = await t.guest(code, "Grace Interpreter");

    const expected = ["Ana Lima (patient)", "Dr. Rivera (host)", "Grace Interpreter (guest)"];
    for (const page of [host, ana, grace]) expect(listed(page, ana.c)).toEqual(expected);
    expect(grace.last("welcome")).toMatchObject({ c: ana.c, self: { role: "guest", name: "Grace Interpreter" }, session: { id: expect.any(String) } });
  });

  it("sees the session from their joining on, never what was written before", async () => {
    const { t, host, ana, code } = await session();
    host.send({ type: "send", c: ana.c, cid: "h1", text: "Said before the guest came" });

    const grace = await t.guest(code, "Grace Interpreter");
    grace.send({ type: "send", c: ana.c, cid: "g1", text: "Hello, I will interpret" });
    host.send({ type: "send", c: ana.c, cid: "h2", text: "Welcome" });
    ana.send({ type: "send", c: ana.c, cid: "a2", text: "Thank you" });

    expect(grace.texts()).toEqual(["Hello, I will interpret", "Welcome", "Thank you"]);
    expect(ana.texts()).toEqual(["Before the session", "Said before the guest came", "Hello, I will interpret", "Welcome", "Thank you"]);
    expect(host.of("msg").find((m) => m.cid === "g1")).toMatchObject({ role: "guest", name: "Grace Interpreter", by: grace.id });
  });

  it("a guest's first page gets what was written between the join and its hello", async () => {
    const { t, host, ana, code } = await session();
    const identity = await t.joinIdentity(code, "Grace Interpreter");

    host.send({ type: "send", c: ana.c, cid: "h1", text: "While the guest's page loads" });
    const grace = new Client(t.room, identity).hello();

    expect(grace.texts()).toEqual(["While the guest's page loads"]);
  });

  it("a reloaded guest page starts empty, as a patient's does", async () => {
    const { t, host, ana, code } = await session();
    const grace = await t.guest(code, "Grace Interpreter");
    host.send({ type: "send", c: ana.c, cid: "h1", text: "Seen by the first page" });

    const reloaded = t.reopen(grace);

    expect(reloaded.texts()).toEqual([]);
  });

  it("other patients learn nothing of the session or its guests", async () => {
    const { t, host, ana, code } = await session();
    const bo = t.patient("Bo Chen");

    const grace = await t.guest(code, "Grace Interpreter");
    grace.send({ type: "send", c: ana.c, cid: "g1", text: "Interpreting" });
    host.send({ type: "send", c: ana.c, cid: "h1", text: "For Ana" });

    expect(bo.frames.map((f) => f.type)).toEqual(["welcome"]);
    expect(JSON.stringify(bo.frames)).not.toContain("Grace");
  });

  it("the code is shown to hosts only: not to front desk, the patient or the guest", async () => {
    const { t, host, ana, code } = await session();
    const desk = t.staff("Sam Front", "staff");
    const grace = await t.guest(code, "Grace Interpreter");
    const laterHost = t.staff("Dr. Okafor", "host");

    expect(code).toMatch(/^\d{9}$/);
    expect(host.last("access_code")).toMatchObject({ c: ana.c, code: { code } });
    expect(laterHost.last("access_code")).toMatchObject({ c: ana.c, code: { code } });
    for (const page of [desk, ana, grace]) expect(page.peer.raw.join("")).not.toContain(code);
  });
});

describe("who is connected", () => {
  it("the list says who has a page open, as pages close and open", async () => {
    const { t, host, ana, code } = await session();
    const grace = await t.guest(code, "Grace Interpreter");
    expect(online(host, ana.c).sort()).toEqual([ana.id, host.id, grace.id].sort());

    grace.drop();
    expect(online(host, ana.c)).not.toContain(grace.id);
    expect(online(ana, ana.c)).not.toContain(grace.id);

    t.reopen(grace);
    expect(online(host, ana.c)).toContain(grace.id);
  });

  it("a guest whose grace period ran out stays on the list, not connected, and may come back while the session lasts", async () => {
    const { t, host, ana, code } = await session();
    const grace = await t.guest(code, "Grace Interpreter");
    grace.drop();
    t.clock.advance(GRACE_MS * 2);
    host.send({ type: "send", c: ana.c, cid: "h1", text: "While you were away" });

    const back = t.resume(grace);

    expect(listed(host, ana.c)).toContain("Grace Interpreter (guest)");
    expect(back.texts()).toEqual(["While you were away"]);
    expect(online(host, ana.c)).toContain(grace.id);
  });

  it("a staff member who writes in the session is added to the list; one who never did is not named", async () => {
    const { t, ana, code } = await session();
    const desk = t.staff("Sam Front", "staff");
    t.staff("Lee Quiet", "staff");
    const grace = await t.guest(code, "Grace Interpreter");

    desk.send({ type: "send", c: ana.c, cid: "d1", text: "Your forms are ready" });

    expect(listed(ana, ana.c)).toEqual(["Ana Lima (patient)", "Dr. Rivera (host)", "Grace Interpreter (guest)", "Sam Front (staff)"]);
    expect(JSON.stringify([...ana.frames, ...grace.frames])).not.toContain("Lee Quiet");
  });
});

describe("removing, leaving, ending", () => {
  it("a host removes a guest: their pages close with 4007, everyone sees it, and their cookie no longer lets them in", async () => {
    const { t, host, ana, code } = await session();
    const grace = await t.guest(code, "Grace Interpreter");
    const second = t.reopen(grace);

    host.send({ type: "remove", c: ana.c, id: grace.id });

    for (const page of [grace, second]) expect(page.peer.closedWith?.code).toBe(CLOSE.removed);
    expect(listed(ana, ana.c)).toContain("Grace Interpreter (guest) removed");
    const again = t.reopen(grace);
    expect(again.peer.closedWith?.code).toBe(CLOSE.removed);
    expect(again.last("error")?.message).toBe("You were removed from this session.");
    host.send({ type: "send", c: ana.c, cid: "h1", text: "After the removal" });
    expect(again.texts()).toEqual([]);
  });

  it("a host removes the patient: the patient's page closes with 4007, the session ends for its guests, and the patient cannot come back", async () => {
    const { t, host, ana, code } = await session();
    const grace = await t.guest(code, "Grace Interpreter");

    host.send({ type: "remove", c: ana.c, id: ana.id });

    expect(ana.peer.closedWith?.code).toBe(CLOSE.removed);
    expect(grace.last("session_ended")).toMatchObject({ c: ana.c });
    expect(grace.peer.closedWith?.code).toBe(CLOSE.ended);
    expect(host.last("patient_left")).toEqual({ type: "patient_left", c: ana.c });
    expect(listed(host, ana.c)).toContain("Ana Lima (patient) removed");
    const again = t.reopen(ana);
    expect(again.peer.closedWith?.code).toBe(CLOSE.removed);
    expect(again.last("error")?.message).toBe("You were removed from this session.");
  });

  it("a guest leaves: their page closes with 4001, the others see they left, and their cookie no longer lets them in", async () => {
    const { t, host, ana, code } = await session();
    const grace = await t.guest(code, "Grace Interpreter");

    grace.send({ type: "leave_session", c: ana.c });

    expect(grace.peer.closedWith?.code).toBe(CLOSE.left);
    expect(listed(host, ana.c)).toContain("Grace Interpreter (guest) left");
    expect(listed(ana, ana.c)).toContain("Grace Interpreter (guest) left");
    expect(t.reopen(grace).peer.closedWith?.code).toBe(CLOSE.left);
  });

  it("the patient leaves the session: the others see it, and it ends for the guests", async () => {
    const { t, host, ana, code } = await session();
    const grace = await t.guest(code, "Grace Interpreter");

    ana.send({ type: "leave_session", c: ana.c });

    expect(ana.peer.closedWith?.code).toBe(CLOSE.left);
    expect(listed(grace, ana.c)).toContain("Ana Lima (patient) left");
    expect(grace.peer.closedWith?.code).toBe(CLOSE.ended);
    expect(host.last("patient_left")?.c).toBe(ana.c);
  });

  it("a front-desk member leaves: off the list, the session gone from their pages only, and back on it when they write again", async () => {
    const { t, host, ana } = await session();
    const desk = t.staff("Sam Front", "staff");
    desk.send({ type: "send", c: ana.c, cid: "d1", text: "Forms are ready" });
    host.clear();

    desk.send({ type: "leave_session", c: ana.c });

    expect(desk.last("erased")).toMatchObject({ c: ana.c, mine: true });
    expect(listed(ana, ana.c)).toContain("Sam Front (staff) left");
    expect(ana.texts()).toContain("Forms are ready");
    expect(host.of("erased")).toEqual([]);
    desk.send({ type: "send", c: ana.c, cid: "d2", text: "One more thing" });
    expect(listed(ana, ana.c)).toContain("Sam Front (staff)");
  });

  it("ending the session ends it for the guests too, and a guest's cookie is then told it ended", async () => {
    const { t, host, ana, code } = await session();
    const grace = await t.guest(code, "Grace Interpreter");

    host.send({ type: "end_session", c: ana.c });

    expect(grace.last("session_ended")).toMatchObject({ c: ana.c });
    expect(grace.peer.closedWith?.code).toBe(CLOSE.ended);
    const again = t.reopen(grace);
    expect(again.peer.closedWith?.code).toBe(CLOSE.ended);
    expect(again.last("error")?.message).toBe("This session has ended.");
  });

  it("a guest cannot remove anyone, end the session, erase it or make a code; a host cannot leave (they end it)", async () => {
    const { t, host, ana, code } = await session();
    const grace = await t.guest(code, "Grace Interpreter");
    grace.clear();

    for (const frame of [
      { type: "remove", c: ana.c, id: ana.id },
      { type: "end_session", c: ana.c },
      { type: "close", c: ana.c, upto: 100 },
      { type: "new_code", c: ana.c },
      { type: "start_session", c: ana.c },
      { type: "broadcast", cid: "b", text: "Hi all" },
    ]) grace.send(frame);
    host.send({ type: "leave_session", c: ana.c });

    expect(grace.of("error").map((e) => e.code)).toEqual(Array(6).fill("forbidden"));
    expect(host.last("error")).toMatchObject({ code: "forbidden", message: "A host ends the session instead of leaving it." });
    expect(grace.peer.closedWith).toBeUndefined();
    expect(listed(ana, ana.c).filter((m) => m.endsWith("removed") || m.endsWith("left"))).toEqual([]);
  });
});
