/**
 * Roles come from the signed link: a host (a provider with a host licence)
 * starts, schedules and ends sessions and creates groups; front-desk staff
 * do everything else staff do. The room and the worker refuse a host's
 * actions to front-desk staff, who keep a working dashboard.
 */
import { afterEach, describe, expect, it } from "vitest";
import { api, closeAllSockets, cookieFrom, freshRoom, joinAsPatient, joinAsStaff, postJson, signIn, staffCookie, staffLink } from "./helpers";

afterEach(closeAllSockets);

describe("front-desk staff in the room", () => {
  it("host-only frames from a front-desk page are refused as forbidden, change nothing, and the page keeps working", async () => {
    const room = freshRoom();
    const host = await joinAsStaff(room, { name: "Dr. Rivera" });
    const desk = await joinAsStaff(room, { name: "Sam Reyes", role: "staff" });
    const colleague = await joinAsStaff(room, { name: "Kim Okafor", role: "staff" });
    const ana = await joinAsPatient(room, "Ana Lima");
    const bo = await joinAsPatient(room, "Bo Chen");
    host.socket.send({ type: "start_session", c: bo.patient.c });
    await bo.socket.waitForType("session_started");
    const from = desk.socket.mark();

    desk.socket.send({ type: "start_session", c: ana.patient.c });
    desk.socket.send({ type: "end_session", c: ana.patient.c });
    desk.socket.send({ type: "end_session", c: bo.patient.c });
    desk.socket.send({ type: "create_group", cid: "g1", title: "Front desk", members: [colleague.id] });
    await desk.socket.settle();

    const refusals = desk.socket.received.slice(from).filter((m) => m.type === "error");
    expect(refusals).toEqual([
      { type: "error", code: "forbidden", message: "Only a provider with a host licence can do that.", c: ana.patient.c },
      { type: "error", code: "forbidden", message: "Only a provider with a host licence can do that.", c: ana.patient.c },
      { type: "error", code: "forbidden", message: "Only a provider with a host licence can do that.", c: bo.patient.c },
      { type: "error", code: "forbidden", message: "Only a provider with a host licence can do that.", cid: "g1" },
    ]);
    // The page still chats, as front desk.
    desk.socket.send({ type: "send", c: ana.patient.c, cid: "d1", text: "The doctor will be with you soon." });
    expect(await ana.socket.waitForType("msg", (m) => m.cid === "d1")).toMatchObject({ by: desk.id, name: "Sam Reyes", role: "staff" });
    // Nothing happened: no session for Ana, Bo's goes on, no group for anyone.
    bo.socket.send({ type: "send", c: bo.patient.c, cid: "b1", text: "Still in session?" });
    await host.socket.waitForType("msg", (m) => m.cid === "b1");
    for (const page of [ana.socket, colleague.socket, host.socket]) await page.settle();
    expect(ana.socket.of("session_started")).toEqual([]);
    expect(bo.socket.of("session_ended")).toEqual([]);
    expect(colleague.socket.of("conversation")).toEqual([]);
    expect(host.socket.of("session_ended")).toEqual([]);
  });

  it("a front-desk page may write to everyone waiting and erase a chat, as staff do", async () => {
    const room = freshRoom();
    const desk = await joinAsStaff(room, { name: "Sam Reyes", role: "staff" });
    const ana = await joinAsPatient(room, "Ana Lima");

    desk.socket.send({ type: "broadcast", cid: "all1", text: "We are running late." });
    const { seq } = await ana.socket.waitForType("msg", (m) => m.cid === "all1");
    desk.socket.send({ type: "close", c: ana.patient.c, upto: seq });

    expect(await ana.socket.waitForType("erased")).toEqual({ type: "erased", c: ana.patient.c, upto: seq });
    expect(desk.socket.of("error")).toEqual([]);
  });
});

describe("front-desk staff over HTTP", () => {
  it("a front-desk session cannot schedule sessions: 403 with a plain message, and no link", async () => {
    const room = freshRoom();
    const cookie = await staffCookie(room, "Sam Reyes", "staff");

    const res = await postJson("/api/provider/invites", { start: Date.now(), minutes: 30 }, { Cookie: cookie });

    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "Only a provider with a host licence can schedule sessions." });
    // A host of the same room can.
    const host = await postJson("/api/provider/invites", { start: Date.now(), minutes: 30 }, { Cookie: await staffCookie(room) });
    expect(host.status).toBe(200);
  });

  it("the role is the link's: a link made for front desk signs in as staff, and a link without a role as a host", async () => {
    const room = freshRoom();

    const desk = await signIn(await staffLink(room, { name: "Sam Reyes", role: "staff" }));
    const host = await signIn(await staffLink(room, { name: "Dr. Rivera" }));

    expect(await desk.json()).toMatchObject({ room, name: "Sam Reyes", role: "staff" });
    expect(await host.json()).toMatchObject({ room, name: "Dr. Rivera", role: "host" });
    const me = await api("/api/provider/me", { headers: { Cookie: cookieFrom(desk, "qc_staff") } });
    expect(await me.json()).toMatchObject({ role: "staff" });
  });

  it("the role reaches the room: the welcome and colleagues' lists say front desk", async () => {
    const room = freshRoom();
    const host = await joinAsStaff(room, { name: "Dr. Rivera" });

    const desk = await joinAsStaff(room, { name: "Sam Reyes", role: "staff" });

    expect(desk.welcome.self).toEqual({ id: desk.id, name: "Sam Reyes", role: "staff" });
    expect(await host.socket.waitForType("staff_member", (m) => m.member.id === desk.id)).toMatchObject({ member: { role: "staff" } });
    expect((await desk.socket.waitForType("staff_list")).members.map((m) => [m.name, m.role]).sort()).toEqual([
      ["Dr. Rivera", "host"],
      ["Sam Reyes", "staff"],
    ]);
  });
});
