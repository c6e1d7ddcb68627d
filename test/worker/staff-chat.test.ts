/**
 * Staff chat: one-to-one chats between colleagues and groups a host
 * creates, with per-person mute and archive. They reach their members
 * only; patients never receive a frame about them.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ServerMessageOf } from "../../protocol/wire";
import { closeAllSockets, freshRoom, joinAsPatient, joinAsStaff, type JoinedStaff } from "./helpers";

afterEach(closeAllSockets);

/** A host, two front-desk colleagues and a third who is in no group, in a fresh room. */
async function clinic() {
  const room = freshRoom();
  const host = await joinAsStaff(room, { name: "Dr. Rivera" });
  const desk = await joinAsStaff(room, { name: "Sam Reyes", role: "staff" });
  const nurse = await joinAsStaff(room, { name: "Kim Okafor", role: "staff" });
  const outsider = await joinAsStaff(room, { name: "Lee Park", role: "staff" });
  return { room, host, desk, nurse, outsider };
}

/** The host creates a group with `members` and waits until every one of them has it. */
async function group(host: JoinedStaff, members: JoinedStaff[], title = "Morning shift"): Promise<ServerMessageOf<"conversation">> {
  host.socket.send({ type: "create_group", cid: "g1", title, members: members.map((m) => m.id) });
  const created = await host.socket.waitForType("conversation", (m) => m.kind === "group" && m.title === title);
  for (const member of members) await member.socket.waitForType("conversation", (m) => m.c === created.c);
  return created;
}

describe("one-to-one chat between colleagues", () => {
  it("either colleague opens the same chat, and they write to each other both ways", async () => {
    const { host, desk } = await clinic();

    host.socket.send({ type: "direct", with: desk.id });

    const opened = await desk.socket.waitForType("conversation");
    expect(opened).toEqual({
      type: "conversation",
      c: expect.stringMatching(/^d-/),
      kind: "direct",
      members: expect.arrayContaining([
        { id: host.id, name: "Dr. Rivera", role: "host" },
        { id: desk.id, name: "Sam Reyes", role: "staff" },
      ]),
      ver: expect.any(Number),
      sig: expect.any(String),
    });
    expect(opened.members).toHaveLength(2);
    expect(await host.socket.waitForType("conversation")).toEqual(opened);
    desk.socket.send({ type: "direct", with: host.id });
    expect((await desk.socket.waitForType("conversation", (m) => m !== opened)).c).toBe(opened.c);

    host.socket.send({ type: "send", c: opened.c, cid: "h1", text: "Can you call the pharmacy?" });
    expect(await desk.socket.waitForType("msg", (m) => m.cid === "h1")).toMatchObject({ c: opened.c, by: host.id, name: "Dr. Rivera", role: "host" });
    desk.socket.send({ type: "send", c: opened.c, cid: "d1", text: "On it." });
    expect(await host.socket.waitForType("msg", (m) => m.cid === "d1")).toMatchObject({ c: opened.c, by: desk.id, name: "Sam Reyes", role: "staff" });
  });

  it("a colleague who is not signed in, oneself, or a patient cannot be chatted with", async () => {
    const { room, host } = await clinic();
    const ana = await joinAsPatient(room, "Ana Lima");

    for (const other of ["not-a-colleague-0000000", host.id, ana.patient.id]) host.socket.send({ type: "direct", with: other });
    await host.socket.settle();

    expect(host.socket.of("error").map((e) => e.code)).toEqual(["not_found", "not_found", "not_found"]);
    expect(host.socket.of("conversation")).toEqual([]);
  });

  it("the chat reaches the two of them only: colleagues outside it receive nothing of it", async () => {
    const { host, desk, outsider } = await clinic();
    host.socket.send({ type: "direct", with: desk.id });
    const { c } = await desk.socket.waitForType("conversation");

    host.socket.send({ type: "send", c, cid: "h1", text: "Between us: the 3 pm is cancelled." });
    await desk.socket.waitForType("msg", (m) => m.cid === "h1");
    outsider.socket.send({ type: "send", c, cid: "o1", text: "Let me in" });

    expect(await outsider.socket.waitForType("error")).toMatchObject({ code: "recipient_left", cid: "o1", c });
    await outsider.socket.settle();
    // (The refusal names the id the outsider sent, and nothing else does.)
    expect(JSON.stringify(outsider.socket.received.filter((m) => m.type !== "error"))).not.toContain(c);
    expect(outsider.socket.texts()).toEqual([]);
    await host.socket.settle();
    expect(host.socket.texts()).toEqual(["Between us: the 3 pm is cancelled."]);
  });
});

describe("staff groups", () => {
  it("a host creates a group: every member gets it, signed, with its owner, and its messages", async () => {
    const { host, desk, nurse, outsider } = await clinic();

    const created = await group(host, [desk, nurse]);

    expect(created).toEqual({
      type: "conversation",
      c: expect.stringMatching(/^g-[A-Za-z0-9_-]{16,}$/),
      kind: "group",
      title: "Morning shift",
      owner: host.id,
      members: [
        { id: host.id, name: "Dr. Rivera", role: "host" },
        { id: desk.id, name: "Sam Reyes", role: "staff" },
        { id: nurse.id, name: "Kim Okafor", role: "staff" },
      ],
      ver: expect.any(Number),
      sig: expect.any(String),
    });
    nurse.socket.send({ type: "send", c: created.c, cid: "n1", text: "Room 2 is ready." });
    for (const member of [host, desk, nurse]) expect(await member.socket.waitForType("msg", (m) => m.cid === "n1")).toMatchObject({ c: created.c, name: "Kim Okafor" });
    await outsider.socket.settle();
    expect(outsider.socket.of("conversation")).toEqual([]);
    expect(outsider.socket.texts()).toEqual([]);
  });

  it("a group needs colleagues who are signed in", async () => {
    const { room, host } = await clinic();
    const ana = await joinAsPatient(room, "Ana Lima");

    host.socket.send({ type: "create_group", cid: "g1", title: "Patients", members: [ana.patient.id] });
    host.socket.send({ type: "create_group", cid: "g2", title: "Nobody", members: [host.id] });

    await host.socket.settle();
    expect(host.socket.of("error")).toEqual([
      expect.objectContaining({ code: "not_found", cid: "g1" }),
      expect.objectContaining({ code: "not_found", cid: "g2" }),
    ]);
    expect(host.socket.of("conversation")).toEqual([]);
  });

  it("a member who leaves is gone from it: the others are told, and the leaver receives nothing more of it", async () => {
    const { host, desk, nurse } = await clinic();
    const { c } = await group(host, [desk, nurse]);

    desk.socket.send({ type: "leave_group", c });

    // The leaver's pages get the description without them, so they cannot hand themselves back in.
    const left = await desk.socket.waitForType("conversation", (m) => m.c === c && !m.members.some((p) => p.id === desk.id));
    expect(left.left).toEqual([{ id: desk.id, name: "Sam Reyes", role: "staff" }]);
    for (const member of [host, nurse]) {
      expect(await member.socket.waitForType("member_left")).toEqual({ type: "member_left", c, id: desk.id, name: "Sam Reyes" });
      expect((await member.socket.waitForType("conversation", (m) => m.ver === left.ver)).members.map((p) => p.id)).toEqual([host.id, nurse.id]);
    }
    await desk.socket.settle();
    const after = desk.socket.mark();
    host.socket.send({ type: "send", c, cid: "h1", text: "Sam has left us." });
    await nurse.socket.waitForType("msg", (m) => m.cid === "h1");
    desk.socket.send({ type: "send", c, cid: "d1", text: "Wait, I'm back" });
    await desk.socket.settle();
    expect(desk.socket.received.slice(after).map((m) => (m.type === "error" ? m.code : m.type))).toEqual(["recipient_left", "pong"]);
    await host.socket.settle();
    expect(host.socket.of("msg").map((m) => m.cid)).toEqual(["h1"]);
  });

  it("the owner cannot leave their group, only delete it", async () => {
    const { host, desk } = await clinic();
    const { c } = await group(host, [desk]);

    host.socket.send({ type: "leave_group", c });

    expect(await host.socket.waitForType("error")).toMatchObject({ code: "forbidden", c });
  });

  it("only the owner deletes a group, and then it is gone for every member", async () => {
    const { room, host, desk, nurse } = await clinic();
    const otherHost = await joinAsStaff(room, { name: "Dr. Chen" });
    const { c } = await group(host, [desk, nurse, otherHost]);

    desk.socket.send({ type: "delete_group", c });
    otherHost.socket.send({ type: "delete_group", c });
    expect(await desk.socket.waitForType("error")).toMatchObject({ code: "forbidden", c });
    expect(await otherHost.socket.waitForType("error")).toMatchObject({ code: "forbidden", c, message: "Only the host who created this group can delete it." });
    nurse.socket.send({ type: "send", c, cid: "n1", text: "Still here" });
    await host.socket.waitForType("msg", (m) => m.cid === "n1");

    host.socket.send({ type: "delete_group", c });

    for (const member of [host, desk, nurse, otherHost]) {
      expect(await member.socket.waitForType("conversation", (m) => m.c === c && m.deleted === true)).toMatchObject({ deleted: true });
    }
    nurse.socket.send({ type: "send", c, cid: "n2", text: "Hello?" });
    expect(await nurse.socket.waitForType("error", (e) => e.cid === "n2")).toMatchObject({ code: "recipient_left", c });
    // A fresh page of a member is not given it.
    const fresh = await joinAsStaff(room, { cookie: desk.cookie });
    await fresh.socket.settle();
    expect(fresh.socket.of("conversation")).toEqual([]);
    expect(fresh.socket.texts()).toEqual([]);
  });
});

describe("each person's own settings", () => {
  it("muting and archiving are one member's settings, sent to all of their pages and to the next one", async () => {
    const { host, desk } = await clinic();
    const { c } = await group(host, [desk]);
    const secondPage = await joinAsStaff(desk.welcome.room, { cookie: desk.cookie, page: "second-page-0001" });

    desk.socket.send({ type: "prefs", c, muted: true });

    for (const page of [desk.socket, secondPage.socket]) expect(await page.waitForType("prefs")).toEqual({ type: "prefs", c, muted: true, archived: false });
    desk.socket.send({ type: "prefs", c, archived: true });
    expect(await secondPage.socket.waitForType("prefs", (m) => m.archived)).toEqual({ type: "prefs", c, muted: true, archived: true });
    await host.socket.settle();
    expect(host.socket.of("prefs")).toEqual([]);
    const third = await joinAsStaff(desk.welcome.room, { cookie: desk.cookie, page: "third-page-00001" });
    expect(await third.socket.waitForType("prefs")).toEqual({ type: "prefs", c, muted: true, archived: true });
  });

  it("a new message brings an archived chat back, still muted", async () => {
    const { host, desk } = await clinic();
    const { c } = await group(host, [desk]);
    desk.socket.send({ type: "prefs", c, muted: true, archived: true });
    await desk.socket.waitForType("prefs", (m) => m.archived);

    host.socket.send({ type: "send", c, cid: "h1", text: "Are you there?" });

    expect(await desk.socket.waitForType("prefs", (m) => !m.archived)).toEqual({ type: "prefs", c, muted: true, archived: false });
  });

  it("settings are for staff chats one is in", async () => {
    const { room, host, desk, outsider } = await clinic();
    const { c } = await group(host, [desk]);
    const ana = await joinAsPatient(room, "Ana Lima");

    outsider.socket.send({ type: "prefs", c, muted: true });
    host.socket.send({ type: "prefs", c: ana.patient.c, archived: true });

    expect(await outsider.socket.waitForType("error")).toMatchObject({ code: "not_found", c });
    expect(await host.socket.waitForType("error")).toMatchObject({ code: "not_found", c: ana.patient.c });
  });
});

describe("patients and staff chats", () => {
  it("a patient's page receives no frame about staff chats, and cannot write to, leave, delete or mute one", async () => {
    const { room, host, desk, nurse } = await clinic();
    const ana = await joinAsPatient(room, "Ana Lima");
    host.socket.send({ type: "direct", with: desk.id });
    const direct = await desk.socket.waitForType("conversation");
    const { c } = await group(host, [desk, nurse], "Ana's case");
    host.socket.send({ type: "send", c, cid: "h1", text: "Ana Lima needs a referral." });
    desk.socket.send({ type: "send", c: direct.c, cid: "d1", text: "Ana Lima paid at the desk." });
    await nurse.socket.waitForType("msg", (m) => m.cid === "h1");
    await host.socket.waitForType("msg", (m) => m.cid === "d1");
    for (const page of [host.socket, desk.socket, nurse.socket]) await page.settle();
    const before = { host: host.socket.mark(), desk: desk.socket.mark(), nurse: nurse.socket.mark() };

    const frames = [
      { type: "send", c, cid: "a1", text: "Let me read that" },
      { type: "send", c: direct.c, cid: "a2", text: "And that" },
      { type: "leave_group", c },
      { type: "delete_group", c },
      { type: "prefs", c, muted: true },
      { type: "direct", with: host.id },
      { type: "seed", c, messages: [] },
    ];
    for (const frame of frames) ana.socket.send(frame);
    await ana.socket.settle();

    expect(ana.socket.of("error").map((e) => e.code)).toEqual(["recipient_left", "recipient_left", "not_found", "not_found", "not_found", "forbidden", "rate_limited"]);
    expect(ana.socket.of("conversation")).toEqual([]);
    // Refusals name only the id Ana sent; nothing else she received mentions a staff chat.
    const seenByAna = JSON.stringify(ana.socket.received.filter((m) => m.type !== "error"));
    for (const secret of [direct.c, c, "referral", "paid at the desk", "Ana's case", "Sam Reyes", "Kim Okafor", desk.id, nurse.id]) expect(seenByAna).not.toContain(secret);
    expect(JSON.stringify(ana.socket.of("error"))).not.toMatch(/referral|desk|Ana's case|Sam|Kim/);
    for (const [who, socket] of [["host", host.socket], ["desk", desk.socket], ["nurse", nurse.socket]] as const) {
      await socket.settle();
      expect(socket.received.slice(before[who]).map((m) => m.type), who).toEqual(["pong"]);
    }
  });
});
