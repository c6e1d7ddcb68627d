import { describe, expect, it } from "vitest";
import { can } from "../../../worker/room/permissions";
import { Client, settled, setup } from "../../support/fakes";

// What someone may do depends on their role: hosts run sessions and create
// groups, front-desk staff chat, patients write in their own conversation.
// A refused frame is answered `forbidden` and the socket stays usable.

/** Dr. Rivera (host), Sam (front desk) and Ana waiting, with a message from Ana. */
function clinic() {
  const t = setup();
  const host = t.provider("Dr. Rivera");
  const desk = t.staff("Sam Front", "staff");
  const ana = t.patient("Ana Lima");
  ana.send({ type: "send", c: ana.c, cid: "a1", text: "Hello" });
  return { t, host, desk, ana };
}

describe("a patient", () => {
  it.each([
    ["a message to everyone waiting", () => ({ type: "broadcast", cid: "x1", text: "Everyone out" })],
    ["an erase (close) of another patient's chat", (_own: string, other: string) => ({ type: "close", c: other, upto: 10 })],
    ["a view of another patient's chat", (_own: string, other: string) => ({ type: "view", c: other })],
    ["a session start", (own: string) => ({ type: "start_session", c: own })],
    ["a session end", (own: string) => ({ type: "end_session", c: own })],
    ["a download notice", (own: string) => ({ type: "downloaded", c: own })],
    ["a group", () => ({ type: "create_group", cid: "g1", title: "Us", members: ["staff-dr-rivera-000000"] })],
  ])("sending %s is refused as forbidden, nothing happens, and the socket stays usable", (_name, frame) => {
    const { t, host, ana } = clinic();
    const bo = t.patient("Bo Chen");
    bo.send({ type: "send", c: bo.c, cid: "b1", text: "Mine" });
    host.clear();
    ana.clear();

    ana.send(frame(ana.c, bo.c));
    ana.send({ type: "ping" });

    expect(ana.frames.map((f) => f.type)).toEqual(["error", "pong"]);
    expect(ana.last("error")?.code).toBe("forbidden");
    expect(ana.peer.closedWith).toBeUndefined();
    expect(bo.texts()).toEqual(["Mine"]);
    expect(bo.frames.map((f) => f.type)).toEqual(["welcome", "msg"]);
    expect(host.frames).toEqual([]);
  });

  it("asking for a direct chat with staff is refused as forbidden", () => {
    const { host, ana } = clinic();
    ana.clear();

    ana.send({ type: "direct", with: host.id });

    expect(ana.frames).toEqual([expect.objectContaining({ type: "error", code: "forbidden" })]);
  });
});

describe("staff", () => {
  it("a staff member's leave frame is refused as forbidden and the socket stays usable", () => {
    const { host, ana } = clinic();
    host.clear();

    host.send({ type: "leave" });
    host.send({ type: "send", c: ana.c, cid: "p1", text: "Still here" });

    expect(host.frames.map((f) => f.type)).toEqual(["error", "msg"]);
    expect(host.last("error")?.code).toBe("forbidden");
    expect(ana.texts()).toEqual(["Hello", "Still here"]);
  });

  it.each(["start_session", "end_session"])("a front-desk member's %s is refused as forbidden, and they keep their socket", (type) => {
    const { t, host, desk, ana } = clinic();
    if (type === "end_session") host.send({ type: "start_session", c: ana.c });
    const before = t.room.queueSnapshot();
    host.clear();
    ana.clear();
    desk.clear();

    desk.send({ type, c: ana.c });
    desk.send({ type: "send", c: ana.c, cid: "d1", text: "I'll let the doctor know." });

    // In a session, writing puts the front-desk member on its participant list.
    const after = type === "end_session" ? ["msg", "participants"] : ["msg"];
    expect(desk.frames.map((f) => f.type)).toEqual(["error", ...after]);
    expect(desk.last("error")).toMatchObject({ code: "forbidden", c: ana.c });
    expect(desk.peer.closedWith).toBeUndefined();
    expect(t.room.queueSnapshot()).toEqual(before);
    expect(ana.frames.map((f) => f.type)).toEqual(after);
    expect(host.frames.map((f) => f.type)).toEqual(after);
  });

  it("a front-desk member cannot create a group, and keeps their socket", () => {
    const { host, desk } = clinic();
    host.clear();
    desk.clear();

    desk.send({ type: "create_group", cid: "g1", title: "Front desk", members: [host.id] });
    desk.send({ type: "ping" });

    expect(desk.frames.map((f) => f.type)).toEqual(["error", "pong"]);
    expect(desk.last("error")).toMatchObject({ code: "forbidden", cid: "g1" });
    expect(host.of("conversation")).toEqual([]);
  });

  it("a front-desk member may chat, write to everyone waiting, close a chat and say they downloaded it", () => {
    const { host, desk, ana } = clinic();
    desk.send({ type: "direct", with: host.id });
    desk.send({ type: "broadcast", cid: "all", text: "Running late" });
    desk.send({ type: "downloaded", c: ana.c });
    desk.send({ type: "close", c: ana.c, upto: 2 });

    expect(desk.of("error")).toEqual([]);
    expect(ana.of("downloaded")).toHaveLength(1);
    expect(ana.last("erased")).toMatchObject({ c: ana.c, upto: 2 });
    expect(host.of("conversation")).toHaveLength(1);
  });
});

describe("group sessions", () => {
  /** Dr. Rivera (host), Sam (front desk), Ana in a session, and Grace who joined it by code. */
  async function groupSession() {
    const { t, host, desk, ana } = clinic();
    host.send({ type: "start_session", c: ana.c });
    const grace = await t.guest(await t.code(host, ana.c), "Grace Interpreter");
    for (const page of [host, desk, ana, grace]) page.clear();
    return { t, host, desk, ana, grace };
  }

  it.each([
    ["a guest", "grace", "removes the patient", (ana: Client) => ({ type: "remove", c: ana.c, id: ana.id })],
    ["a guest", "grace", "makes an access code", (ana: Client) => ({ type: "new_code", c: ana.c })],
    ["the patient", "ana", "removes the guest", (ana: Client, grace: Client) => ({ type: "remove", c: ana.c, id: grace.id })],
    ["the patient", "ana", "withdraws the code", (ana: Client) => ({ type: "withdraw_code", c: ana.c })],
    ["a front-desk member", "desk", "makes an access code", (ana: Client) => ({ type: "new_code", c: ana.c })],
    ["a front-desk member", "desk", "removes the guest", (ana: Client, grace: Client) => ({ type: "remove", c: ana.c, id: grace.id })],
    ["a front-desk member", "desk", "deletes the patient's message", (ana: Client) => ({ type: "delete", c: ana.c, seq: 1 })],
  ] as const)("%s who %s is refused as forbidden, and nobody is told anything", async (_who, sender, _what, frame) => {
    const pages = await groupSession();
    const { host, ana, grace } = pages;
    const me = pages[sender];

    me.send(frame(ana, grace));
    await settled();

    expect(me.of("error").map((e) => e.code)).toEqual(["forbidden"]);
    for (const other of [host, ana, grace].filter((p) => p !== me)) expect(other.frames).toEqual([]);
  });

  it("the permission rows: only a host adds or removes participants; everyone but a host leaves; deleting anyone's message is a host's", () => {
    const roles = ["host", "staff", "patient", "guest"] as const;
    const allowed = (action: Parameters<typeof can>[1]) => roles.filter((role) => can(role, action, "session"));

    expect(allowed("add_participant")).toEqual(["host"]);
    expect(allowed("remove_participant")).toEqual(["host"]);
    expect(allowed("leave_session")).toEqual(["staff", "patient", "guest"]);
    expect(allowed("delete_any")).toEqual(["host"]);
    expect(allowed("delete_own")).toEqual(["host", "staff", "patient", "guest"]);
    expect(allowed("typing")).toEqual(["host", "staff", "patient", "guest"]);
    expect(roles.filter((role) => can(role, "add_participant", "waiting"))).toEqual([]);
    expect(roles.filter((role) => can(role, "send", "direct"))).toEqual(["host", "staff"]);
  });
});
