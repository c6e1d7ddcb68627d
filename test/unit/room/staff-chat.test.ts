import { describe, expect, it } from "vitest";
import { setup } from "../../support/fakes";

// Staff of one waiting room chat with each other: one-to-one, and in groups
// a host creates. Patients never receive a frame about it.

/** Dr. Rivera and Dr. Okafor (hosts), Sam (front desk), and Ana waiting. */
function clinic() {
  const t = setup();
  const rivera = t.provider("Dr. Rivera");
  const okafor = t.provider("Dr. Okafor");
  const sam = t.staff("Sam Front", "staff");
  const ana = t.patient("Ana Lima");
  return { t, rivera, okafor, sam, ana };
}

/** The three of them in a group Dr. Rivera created; its id. */
function grouped() {
  const w = clinic();
  const { rivera, okafor, sam } = w;
  rivera.send({ type: "create_group", cid: "g1", title: "Morning shift", members: [okafor.id, sam.id] });
  return { ...w, g: rivera.last("conversation")!.c };
}

describe("a direct chat", () => {
  it("opens for both colleagues, under an id that is the same whoever opens it", () => {
    const { rivera, sam } = clinic();

    rivera.send({ type: "direct", with: sam.id });
    const meta = rivera.last("conversation")!;
    sam.send({ type: "direct", with: rivera.id });

    expect(meta).toMatchObject({ kind: "direct", members: expect.arrayContaining([expect.objectContaining({ id: rivera.id }), expect.objectContaining({ id: sam.id })]) });
    expect(meta.members).toHaveLength(2);
    expect(sam.of("conversation").map((f) => f.c)).toEqual([meta.c, meta.c]);
  });

  it("carries messages both ways, under each writer's name and role", () => {
    const { rivera, sam } = clinic();
    rivera.send({ type: "direct", with: sam.id });
    const c = rivera.last("conversation")!.c;

    rivera.send({ type: "send", c, cid: "r1", text: "Can you call room 3?" });
    sam.send({ type: "send", c, cid: "s1", text: "On it." });

    for (const page of [rivera, sam]) {
      expect(page.copy(c).map((m) => [m.name, m.role, m.text])).toEqual([
        ["Dr. Rivera", "host", "Can you call room 3?"],
        ["Sam Front", "staff", "On it."],
      ]);
    }
  });

  it("reaches nobody outside it", () => {
    const { rivera, okafor, sam, ana } = clinic();
    rivera.send({ type: "direct", with: sam.id });
    const c = rivera.last("conversation")!.c;

    rivera.send({ type: "send", c, cid: "r1", text: "Between us" });

    expect(okafor.of("conversation")).toEqual([]);
    expect(okafor.texts()).toEqual([]);
    expect(ana.texts()).toEqual([]);
  });

  it("with someone who is not a signed-in colleague, or with oneself, is refused as not_found", () => {
    const { rivera, ana } = clinic();

    for (const id of [ana.id, "nobody-0123456789", rivera.id]) rivera.send({ type: "direct", with: id });

    expect(rivera.of("error").map((e) => e.code)).toEqual(["not_found", "not_found", "not_found"]);
    expect(rivera.of("conversation")).toEqual([]);
  });

  it("cannot be closed (erased) from the chat box", () => {
    const { rivera, sam } = clinic();
    rivera.send({ type: "direct", with: sam.id });
    const c = rivera.last("conversation")!.c;
    sam.send({ type: "send", c, cid: "s1", text: "Keep this" });

    rivera.send({ type: "close", c, upto: 10 });

    expect(rivera.last("error")?.code).toBe("forbidden");
    expect([...rivera.of("erased"), ...sam.of("erased")]).toEqual([]);
  });
});

describe("a group", () => {
  it("a host creates it: every member gets its signed description, with its title and owner", () => {
    const { rivera, okafor, sam, g } = grouped();

    for (const page of [rivera, okafor, sam]) {
      expect(page.last("conversation")).toMatchObject({ c: g, kind: "group", title: "Morning shift", owner: rivera.id, sig: expect.any(String) });
      expect(page.last("conversation")?.members.map((m) => m.name)).toEqual(["Dr. Rivera", "Dr. Okafor", "Sam Front"]);
    }
    expect(g).toMatch(/^g-/);
  });

  it("only a host may create one", () => {
    const { rivera, sam } = clinic();

    sam.send({ type: "create_group", cid: "g1", title: "Desk", members: [rivera.id] });

    expect(sam.last("error")).toMatchObject({ code: "forbidden", cid: "g1" });
    expect(rivera.of("conversation")).toEqual([]);
  });

  it("only with colleagues who are signed in", () => {
    const { rivera, ana } = clinic();

    rivera.send({ type: "create_group", cid: "g1", title: "Odd", members: [ana.id] });
    rivera.send({ type: "create_group", cid: "g2", title: "Alone", members: [rivera.id] });

    expect(rivera.of("error").map((e) => [e.code, e.cid])).toEqual([
      ["not_found", "g1"],
      ["not_found", "g2"],
    ]);
  });

  it("its messages reach its members and nobody else", () => {
    const t = setup();
    const rivera = t.provider("Dr. Rivera");
    const sam = t.staff("Sam Front", "staff");
    const lee = t.staff("Lee Other", "staff");
    const ana = t.patient("Ana Lima");
    rivera.send({ type: "create_group", cid: "g1", title: "Pair", members: [sam.id] });
    const g = rivera.last("conversation")!.c;

    sam.send({ type: "send", c: g, cid: "s1", text: "Group hello" });

    expect(rivera.texts()).toEqual(["Group hello"]);
    expect(lee.texts()).toEqual([]);
    expect(lee.of("conversation")).toEqual([]);
    expect(ana.texts()).toEqual([]);
    lee.send({ type: "send", c: g, cid: "l1", text: "Let me in" });
    expect(lee.last("error")).toMatchObject({ code: "recipient_left", c: g });
    expect(sam.texts()).toEqual(["Group hello"]);
  });
});

describe("leaving a group", () => {
  it("the others are told who left; the leaver's pages get the description without them", () => {
    const { t, rivera, okafor, sam, g } = grouped();
    const samTab = t.reopen(sam);

    sam.send({ type: "leave_group", c: g });

    for (const page of [rivera, okafor]) expect(page.last("member_left")).toEqual({ type: "member_left", c: g, id: sam.id, name: "Sam Front" });
    expect(sam.of("member_left")).toEqual([]);
    const meta = sam.last("conversation")!;
    expect(meta.members.map((m) => m.id)).not.toContain(sam.id);
    expect(meta.left?.map((m) => m.id)).toEqual([sam.id]);
    expect(samTab.last("conversation")).toEqual(meta);
    expect(rivera.last("conversation")).toEqual(meta);
  });

  it("the leaver no longer receives its messages, nor may write in it", () => {
    const { rivera, okafor, sam, g } = grouped();
    sam.send({ type: "leave_group", c: g });
    sam.clear();

    rivera.send({ type: "send", c: g, cid: "r1", text: "Without Sam" });
    sam.send({ type: "send", c: g, cid: "s1", text: "Still me" });

    expect(sam.texts()).toEqual([]);
    expect(sam.last("error")).toMatchObject({ code: "recipient_left", c: g });
    expect(okafor.texts()).toEqual(["Without Sam"]);
  });

  it("the owner cannot leave it: they delete it instead", () => {
    const { rivera, okafor, g } = grouped();

    rivera.send({ type: "leave_group", c: g });

    expect(rivera.last("error")).toMatchObject({ code: "forbidden", c: g });
    expect(okafor.of("member_left")).toEqual([]);
  });
});

describe("deleting a group", () => {
  it("by its owner: it disappears for every member, and nobody can write in it", () => {
    const { rivera, okafor, sam, g } = grouped();
    sam.send({ type: "send", c: g, cid: "s1", text: "Before" });

    rivera.send({ type: "delete_group", c: g });

    for (const page of [rivera, okafor, sam]) expect(page.last("conversation")).toMatchObject({ c: g, deleted: true });
    okafor.send({ type: "send", c: g, cid: "o1", text: "After" });
    expect(okafor.last("error")).toMatchObject({ code: "recipient_left", c: g });
    expect(rivera.texts()).toEqual(["Before"]);
  });

  it.each([
    ["another host in it", "okafor"],
    ["a front-desk member in it", "sam"],
  ] as const)("by %s is refused as forbidden, and the group stays", (_who, key) => {
    const w = grouped();
    const page = w[key];

    page.send({ type: "delete_group", c: w.g });

    expect(page.last("error")).toMatchObject({ code: "forbidden", c: w.g });
    expect(w.rivera.of("conversation").filter((m) => m.deleted)).toEqual([]);
    w.sam.send({ type: "send", c: w.g, cid: "s1", text: "Still here" });
    expect(w.okafor.texts()).toEqual(["Still here"]);
  });

  it("after it was deleted, deleting or leaving it again is not_found", () => {
    const { rivera, sam, g } = grouped();
    rivera.send({ type: "delete_group", c: g });

    rivera.send({ type: "delete_group", c: g });
    sam.send({ type: "leave_group", c: g });

    expect(rivera.last("error")?.code).toBe("not_found");
    expect(sam.last("error")?.code).toBe("not_found");
  });
});

describe("each person's settings for a staff chat", () => {
  it("muting reaches every page of that person only", () => {
    const { t, rivera, okafor, g } = grouped();
    const riveraTab = t.reopen(rivera);
    okafor.clear();

    rivera.send({ type: "prefs", c: g, muted: true });

    const prefs = { type: "prefs", c: g, muted: true, archived: false };
    expect(rivera.last("prefs")).toEqual(prefs);
    expect(riveraTab.last("prefs")).toEqual(prefs);
    expect(okafor.frames).toEqual([]);
  });

  it("are kept in the room: a page that opens later gets them with the conversation", () => {
    const { t, rivera, g } = grouped();
    rivera.send({ type: "prefs", c: g, muted: true });
    rivera.send({ type: "prefs", c: g, archived: true });

    const later = t.provider("Dr. Rivera");

    expect(later.last("prefs")).toEqual({ type: "prefs", c: g, muted: true, archived: true });
  });

  it("an archived chat comes back with a new message, for each member who had archived it", () => {
    const { rivera, okafor, sam, g } = grouped();
    rivera.send({ type: "prefs", c: g, archived: true });
    sam.send({ type: "prefs", c: g, muted: true });
    sam.clear();

    okafor.send({ type: "send", c: g, cid: "o1", text: "News" });

    expect(rivera.last("prefs")).toEqual({ type: "prefs", c: g, muted: false, archived: false });
    expect(sam.of("prefs")).toEqual([]);
  });

  it("are only for staff chats one is in", () => {
    const { t, rivera, ana } = grouped();
    const lee = t.staff("Lee Other", "staff");
    const g = rivera.last("conversation")!.c;

    lee.send({ type: "prefs", c: g, muted: true });
    rivera.send({ type: "prefs", c: ana.c, muted: true });

    expect(lee.last("error")?.code).toBe("not_found");
    expect(rivera.last("error")?.code).toBe("not_found");
  });
});

describe("patients and staff chats", () => {
  it("a patient's page receives no frame about staff chats", () => {
    const { rivera, okafor, sam, ana, g } = grouped();
    rivera.send({ type: "direct", with: sam.id });
    const d = rivera.last("conversation")!.c;

    sam.send({ type: "send", c: g, cid: "s1", text: "Group secret" });
    rivera.send({ type: "send", c: d, cid: "r1", text: "Direct secret" });
    rivera.send({ type: "prefs", c: g, muted: true, archived: true });
    okafor.send({ type: "leave_group", c: g });
    rivera.send({ type: "delete_group", c: g });

    expect(ana.frames.map((f) => f.type)).toEqual(["welcome"]);
    const seen = ana.peer.raw.join("\n");
    for (const secret of [g, d, "Morning shift", "secret"]) expect(seen).not.toContain(secret);
  });

  it("a patient cannot write in, or hand back, a staff chat", () => {
    const { rivera, ana, g } = grouped();
    rivera.clear();

    ana.send({ type: "send", c: g, cid: "a1", text: "Let me in" });

    expect(ana.last("error")?.code).toBe("recipient_left");
    expect(rivera.frames).toEqual([]);
  });
});

describe("a staff page that opens or comes back", () => {
  it("gets the staff chats it is in, and their messages", () => {
    const { t, rivera, sam, g } = grouped();
    sam.send({ type: "send", c: g, cid: "s1", text: "Hello group" });
    rivera.drop();

    const back = t.resume(rivera);
    const fresh = t.staff("Dr. Okafor");

    expect(back.of("conversation").map((f) => f.c)).toEqual([g]);
    expect(fresh.of("conversation").map((f) => f.c)).toEqual([g]);
    expect(fresh.copy(g).map((m) => m.text)).toEqual(["Hello group"]);
  });
});
