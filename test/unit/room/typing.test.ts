import { describe, expect, it } from "vitest";
import { TYPING } from "../../../protocol/wire";
import { setup } from "../../support/fakes";
import { heldBy, staffRejoins } from "../../support/rejoin";

// "<name> is typing…" goes to the others in that conversation only, and is
// never kept: not in a catch-up, not in what pages hand back.

function waiting() {
  const t = setup();
  const host = t.provider("Dr. Rivera");
  const desk = t.staff("Sam Front", "staff");
  const ana = t.patient("Ana Lima");
  const bo = t.patient("Bo Chen");
  return { t, host, desk, ana, bo };
}

describe("typing notices", () => {
  it("a patient typing is shown to staff, never to another patient, and not echoed to the patient", () => {
    const { host, desk, ana, bo } = waiting();

    ana.send({ type: "typing", c: ana.c });

    for (const page of [host, desk]) expect(page.last("typing")).toEqual({ type: "typing", c: ana.c, id: ana.id, name: "Ana Lima" });
    expect(bo.of("typing")).toEqual([]);
    expect(ana.of("typing")).toEqual([]);
  });

  it("a host typing to one patient is shown to that patient and colleagues, not to the other patients", () => {
    const { host, desk, ana, bo } = waiting();

    host.send({ type: "typing", c: ana.c });

    expect(ana.last("typing")).toMatchObject({ c: ana.c, name: "Dr. Rivera" });
    expect(desk.last("typing")).toMatchObject({ c: ana.c, name: "Dr. Rivera" });
    expect(bo.of("typing")).toEqual([]);
  });

  it("in a group session, a guest typing reaches the patient and staff of that session only", async () => {
    const { t, host, ana, bo } = waiting();
    host.send({ type: "start_session", c: ana.c });
    const grace = await t.guest(await t.code(host, ana.c), "Grace Interpreter");

    grace.send({ type: "typing", c: ana.c });

    expect(ana.last("typing")).toMatchObject({ c: ana.c, name: "Grace Interpreter" });
    expect(host.last("typing")).toMatchObject({ c: ana.c, name: "Grace Interpreter" });
    expect(bo.of("typing")).toEqual([]);
  });

  it("in a staff chat, only its members hear of it", () => {
    const { t, host, desk, ana } = waiting();
    const lee = t.staff("Lee Other", "staff");
    host.send({ type: "direct", with: desk.id });
    const direct = host.last("conversation")!.c;

    desk.send({ type: "typing", c: direct });

    expect(host.last("typing")).toMatchObject({ c: direct, name: "Sam Front" });
    expect([...lee.of("typing"), ...ana.of("typing")]).toEqual([]);
  });

  it("a notice about a conversation one is not in goes nowhere, and gets no answer", () => {
    const { host, desk, ana, bo } = waiting();
    host.send({ type: "direct", with: desk.id });
    const direct = host.last("conversation")!.c;
    ana.clear();

    ana.send({ type: "typing", c: bo.c });
    ana.send({ type: "typing", c: direct });

    expect([...bo.of("typing"), ...host.of("typing"), ...desk.of("typing")]).toEqual([]);
    expect(ana.frames).toEqual([]);
  });

  it(`is passed on at most twice every ${TYPING.sendEveryMs / 1000} s per person and conversation`, () => {
    const { t, host, ana } = waiting();

    for (let i = 0; i < 5; i++) ana.send({ type: "typing", c: ana.c });
    t.clock.advance(TYPING.sendEveryMs / 2);
    ana.send({ type: "typing", c: ana.c });

    expect(host.of("typing")).toHaveLength(2);
  });

  it("after a message, the writer's next keystroke is told at once: the message ended the notice", () => {
    const { host, ana } = waiting();
    ana.send({ type: "typing", c: ana.c });
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "First line" });

    ana.send({ type: "typing", c: ana.c });

    expect(host.frames.map((f) => f.type).filter((t) => t === "typing" || t === "msg")).toEqual(["typing", "msg", "typing"]);
  });

  it("is never kept: a page that resumes or opens later, or comes back after a reset, is not told", () => {
    const { t, host, ana } = waiting();
    ana.send({ type: "typing", c: ana.c });
    host.drop();

    const resumed = t.resume(host);
    const fresh = t.staff("Dr. Okafor", "host");
    const held = heldBy(t, resumed);
    t.reset();
    const back = staffRejoins(t, resumed, held);

    for (const page of [resumed, fresh, back]) expect(page.of("typing")).toEqual([]);
  });
});
