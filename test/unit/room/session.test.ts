import { describe, expect, it } from "vitest";
import { CLOSE, type SessionInfo } from "../../../protocol/wire";
import type { AuditEvent } from "../../../worker/room/context";
import { Client, GRACE_MS, setup } from "../../support/fakes";

/** A room with one host page and one waiting patient. */
function waiting() {
  const audit: AuditEvent[] = [];
  const t = setup({ audit: (e) => audit.push(e) });
  const provider = t.provider("Dr. Rivera");
  const ana = t.patient("Ana Lima");
  return { t, audit, provider, ana };
}

describe("starting a text-only session", () => {
  it("the patient and staff are told the session started, with a server-made id and the server's time", () => {
    const { t, provider, ana } = waiting();
    t.clock.advance(90_000);

    provider.send({ type: "start_session", c: ana.c });

    const started = provider.last("session_started");
    expect(started).toEqual({ type: "session_started", c: ana.c, session: { id: expect.any(String), startedAt: t.clock.now() } });
    expect(started!.session.id.length).toBeGreaterThanOrEqual(22);
    expect(started!.session.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(ana.of("session_started")).toEqual([started]);
  });

  it("every session gets its own id", () => {
    const { t, provider, ana } = waiting();
    const bo = t.patient("Bo Chen");

    provider.send({ type: "start_session", c: ana.c });
    provider.send({ type: "start_session", c: bo.c });

    const [a, b] = provider.of("session_started");
    expect(a!.session.id).not.toBe(b!.session.id);
  });

  it("the queue lists the patient with their session", () => {
    const { t, provider, ana } = waiting();

    provider.send({ type: "start_session", c: ana.c });

    const session = provider.last("session_started")!.session;
    expect(t.room.queueSnapshot().find((p) => p.id === ana.id)?.session).toEqual(session);
    expect(provider.last("patient")?.patient.session).toEqual(session);
    expect(t.provider("Dr. Rivera").last("queue")?.patients[0]?.session).toEqual(session);
  });

  it("starting twice is idempotent: the same session is confirmed and the patient is not told again", () => {
    const { t, provider, ana } = waiting();
    provider.send({ type: "start_session", c: ana.c });
    const first = provider.last("session_started")!;
    t.clock.advance(30_000);

    provider.send({ type: "start_session", c: ana.c });

    expect(provider.of("session_started")).toEqual([first, first]);
    expect(ana.of("session_started")).toEqual([first]);
  });

  it("a patient who reconnects during a session finds it in their welcome", () => {
    const { t, provider, ana } = waiting();
    provider.send({ type: "start_session", c: ana.c });
    const session = provider.last("session_started")!.session;
    ana.drop();

    expect(t.resume(ana).last("welcome")?.session).toEqual(session);
  });

  it("starting a session for a patient who has left answers recipient_left", () => {
    const { provider, ana } = waiting();
    ana.send({ type: "leave" });

    provider.send({ type: "start_session", c: ana.c });

    expect(provider.last("error")?.code).toBe("recipient_left");
    expect(provider.of("session_started")).toEqual([]);
  });
});

describe("ending a text-only session", () => {
  function inSession() {
    const w = waiting();
    const { t, provider, ana } = w;
    const second = t.reopen(ana); // the patient has the page open twice
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Thanks for seeing me" });
    provider.send({ type: "start_session", c: ana.c });
    const session = provider.last("session_started")!.session;
    return { ...w, second, session };
  }

  it("the patient and every staff page are told the session ended", () => {
    const { t, provider, ana, second, session } = inSession();
    const otherTab = t.provider("Dr. Rivera");
    const desk = t.staff("Sam Front", "staff");
    t.clock.advance(600_000);

    provider.send({ type: "end_session", c: ana.c });

    const ended = { type: "session_ended", c: ana.c, id: session.id, endedAt: t.clock.now() };
    for (const page of [provider, otherTab, desk, ana, second]) expect(page.last("session_ended")).toEqual(ended);
  });

  it("every socket of the patient is closed with 4003, after session_ended reached it", () => {
    const { provider, ana, second } = inSession();

    provider.send({ type: "end_session", c: ana.c });

    for (const page of [ana, second]) {
      expect(page.peer.closedWith).toEqual({ code: CLOSE.ended, reason: "ended" });
      expect(page.frames.at(-1)?.type).toBe("session_ended");
    }
    expect(CLOSE.ended).toBe(4003);
  });

  it("the patient and their conversation are gone from the room", () => {
    const { t, provider, ana } = inSession();
    const bo = t.patient("Bo Chen");

    provider.send({ type: "end_session", c: ana.c });

    expect(t.room.patientCount).toBe(1);
    expect(t.room.queueSnapshot().map((p) => p.id)).toEqual([bo.id]);
    const reloaded = t.reopen(provider, { ...provider.resumeState(), n: 0 });
    expect(reloaded.last("queue")?.patients.map((p) => p.id)).toEqual([bo.id]);
    expect(reloaded.of("msg").filter((m) => m.c === ana.c)).toEqual([]);
  });

  it("a staff message to the ended session's patient answers recipient_left", () => {
    const { provider, ana } = inSession();
    provider.send({ type: "end_session", c: ana.c });

    provider.send({ type: "send", c: ana.c, cid: "late", text: "One more thing" });

    expect(provider.last("error")).toMatchObject({ code: "recipient_left", cid: "late" });
  });

  it("no patient_left is sent: session_ended already says they are gone", () => {
    const { t, provider, ana } = inSession();
    provider.clear();

    provider.send({ type: "end_session", c: ana.c });
    t.clock.advance(GRACE_MS * 2); // no grace timer fires later either

    expect(provider.frames.map((f) => f.type)).toEqual(["session_ended"]);
  });

  it("ending the same session again answers recipient_left and tells nobody else", () => {
    const { provider, ana } = inSession();
    provider.send({ type: "end_session", c: ana.c });

    provider.send({ type: "end_session", c: ana.c });

    expect(provider.last("error")?.code).toBe("recipient_left");
    expect(provider.of("session_ended")).toHaveLength(1);
    expect(ana.of("session_ended")).toHaveLength(1);
  });

  it("a waiting-room chat with no session cannot be ended", () => {
    const { provider, ana } = waiting();

    provider.send({ type: "end_session", c: ana.c });

    expect(provider.last("error")).toMatchObject({ code: "bad_frame", c: ana.c });
    expect(ana.of("session_ended")).toEqual([]);
    expect(ana.peer.closedWith).toBeUndefined();
  });

  it("other patients are not told about the session or its end", () => {
    const { t, provider, ana } = waiting();
    const bo = t.patient("Bo Chen");

    provider.send({ type: "start_session", c: ana.c });
    provider.send({ type: "downloaded", c: ana.c });
    provider.send({ type: "end_session", c: ana.c });

    expect(bo.frames.map((f) => f.type)).toEqual(["welcome"]);
    expect(bo.peer.closedWith).toBeUndefined();
  });
});

describe("a downloaded copy of the chat", () => {
  it("only that patient is told a copy was saved", () => {
    const { t, provider, ana } = waiting();
    const bo = t.patient("Bo Chen");
    provider.send({ type: "start_session", c: ana.c });
    for (const page of [provider, ana, bo]) page.clear();

    provider.send({ type: "downloaded", c: ana.c });

    expect(ana.frames).toEqual([{ type: "downloaded", c: ana.c }]);
    expect(bo.frames).toEqual([]);
    expect(provider.frames).toEqual([]);
  });

  it("for a patient who has left, staff get recipient_left", () => {
    const { provider, ana } = waiting();
    ana.send({ type: "leave" });

    provider.send({ type: "downloaded", c: ana.c });

    expect(provider.last("error")).toMatchObject({ code: "recipient_left", c: ana.c });
  });
});

describe("patients cannot control sessions", () => {
  it.each(["start_session", "end_session", "downloaded"])("a patient sending %s gets forbidden, nothing happens, and their socket stays usable", (type) => {
    const { provider, ana } = waiting();
    provider.clear();

    ana.send({ type, c: ana.c });

    expect(ana.last("error")?.code).toBe("forbidden");
    expect(ana.peer.closedWith).toBeUndefined();
    expect(provider.frames).toEqual([]);
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Still here" });
    expect(provider.last("msg")).toMatchObject({ c: ana.c, text: "Still here" });
    expect(ana.last("msg")?.text).toBe("Still here");
  });

  it("a patient cannot end another patient's session", () => {
    const { t, provider, ana } = waiting();
    const bo = t.patient("Bo Chen");
    provider.send({ type: "start_session", c: bo.c });

    ana.send({ type: "end_session", c: bo.c });

    expect(ana.of("error")).toHaveLength(1);
    expect(bo.of("session_ended")).toEqual([]);
    expect(bo.peer.closedWith).toBeUndefined();
    expect(t.room.queueSnapshot().map((p) => p.id)).toContain(bo.id);
  });
});

describe("a scheduled session", () => {
  const scheduled = (startedAt: number): SessionInfo => ({ id: "sched-0123456789abcdefghij", startedAt, scheduled: true });
  /** Ana, admitted through a scheduled session's link. */
  function admitted(t: ReturnType<typeof setup>) {
    const session = scheduled(t.clock.now());
    const identity = { ...t.patientIdentity("Ana Lima"), session: { ...session, scheduled: true as const } };
    expect(t.room.admit(identity)).toBe(true);
    return { identity, session };
  }

  it("admitting a patient into a scheduled session shows it in the staff page's patient update", () => {
    const t = setup();
    const provider = t.provider();

    const { identity, session } = admitted(t);

    expect(provider.last("patient")?.patient).toEqual({ c: identity.c, id: identity.id, name: "Ana Lima", checkedInAt: t.clock.now(), status: "waiting", session });
    expect(provider.last("patient")?.patient.session?.scheduled).toBe(true);
  });

  it("the patient's welcome carries the scheduled session", () => {
    const t = setup();
    const { identity, session } = admitted(t);

    const page = new Client(t.room, identity).hello();

    expect(page.last("welcome")?.session).toEqual(session);
  });

  it("a waiting-room patient's welcome has no session", () => {
    const t = setup();

    expect(t.patient("Ana Lima").last("welcome")).not.toHaveProperty("session");
  });

  it("a staff welcome never carries a session", () => {
    const t = setup();
    admitted(t);

    expect(t.provider().last("welcome")).not.toHaveProperty("session");
  });

  it("starting a scheduled session again confirms it unchanged", () => {
    const t = setup();
    const provider = t.provider();
    const { identity, session } = admitted(t);

    provider.send({ type: "start_session", c: identity.c });

    expect(provider.last("session_started")).toEqual({ type: "session_started", c: identity.c, session });
  });

  it("ending a scheduled session reports its id", () => {
    const t = setup();
    const provider = t.provider();
    const { identity } = admitted(t);
    const page = new Client(t.room, identity).hello();

    provider.send({ type: "end_session", c: identity.c });

    expect(page.last("session_ended")?.id).toBe("sched-0123456789abcdefghij");
    expect(page.peer.closedWith?.code).toBe(CLOSE.ended);
  });
});

describe("audit events for sessions", () => {
  it("admission to a session, download and end are audited with ids only", () => {
    const { provider, ana, audit } = waiting();
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "My secret symptom" });
    audit.length = 0;

    provider.send({ type: "start_session", c: ana.c });
    provider.send({ type: "downloaded", c: ana.c });
    provider.send({ type: "end_session", c: ana.c });

    const who = { room: "clinic", participant: ana.id, role: "patient" };
    expect(audit).toEqual([
      { event: "admitted", ...who },
      { event: "downloaded", ...who },
      { event: "ended", ...who },
    ]);
    const logged = JSON.stringify(audit);
    for (const secret of ["Ana Lima", "Dr. Rivera", "secret symptom"]) expect(logged).not.toContain(secret);
  });

  it("a repeated start and refused requests are not audited", () => {
    const { provider, ana, audit } = waiting();
    provider.send({ type: "start_session", c: ana.c });
    audit.length = 0;

    provider.send({ type: "start_session", c: ana.c });
    ana.send({ type: "downloaded", c: ana.c });
    ana.send({ type: "end_session", c: ana.c });

    expect(audit).toEqual([]);
  });
});
