import { describe, expect, it } from "vitest";
import type { ConversationMeta } from "../../../protocol/wire";
import { Conversation, messageFrame, type Stored } from "../../../worker/room/conversation";

// One conversation in the room's memory: its messages in arrival order,
// what it accepts back after a reset, how far it is erased, for everyone
// and per person, and what a page may be sent of it.

let arrivals = 0;
/** A message as the room keeps it; `n` counts arrivals. */
const msg = (seq: number, by = "ana", extra: Partial<Stored> = {}): Stored => ({
  seq,
  n: ++arrivals,
  cid: `${by}-${seq}`,
  by,
  name: by,
  role: by === "ana" ? "patient" : "host",
  text: `message ${seq}`,
  time: 0,
  sig: "sig",
  ...extra,
});

function waitingWith(...seqs: number[]): Conversation {
  const conv = new Conversation("c-ana", "waiting", 0);
  conv.patient = { c: "c-ana", id: "ana", name: "Ana Lima", checkedInAt: 0, status: "waiting" };
  for (const seq of seqs) conv.append(msg(seq));
  return conv;
}

const seqsOf = (list: readonly Stored[]) => list.map((m) => m.seq);

describe("append", () => {
  it("keeps messages in arrival order and remembers the highest seq", () => {
    const conv = waitingWith(5, 3, 9);

    expect(seqsOf(conv.select(0, 0, false))).toEqual([5, 3, 9]);
    expect(conv.lastSeq).toBe(9);
    expect(conv.size).toBe(3);
  });

  it("remembers each sender's client id with the seq it got, so a resend is applied once", () => {
    const conv = waitingWith(1);

    expect(conv.appliedSeq("ana", "ana-1")).toBe(1);
    expect(conv.appliedSeq("staff", "ana-1")).toBeUndefined();
  });

  it("does not remember client ids of messages to everyone waiting: those are held once for all conversations", () => {
    const conv = waitingWith();
    conv.append(msg(1, "staff", { all: true, cid: "all-1" }));

    expect(conv.appliedSeq("staff", "all-1")).toBeUndefined();
  });
});

describe("accepts (a message handed back after a reset)", () => {
  it("takes a message it does not hold", () => {
    expect(waitingWith(1, 2).accepts({ seq: 3, by: "ana", cid: "new" })).toBe(true);
  });

  it("refuses one it holds, by seq or by sender and client id", () => {
    const conv = waitingWith(1, 2);

    expect(conv.accepts({ seq: 2, by: "staff", cid: "other" })).toBe(false);
    expect(conv.accepts({ seq: 7, by: "ana", cid: "ana-1" })).toBe(false);
  });

  it("refuses anything at or below the erase point", () => {
    const conv = waitingWith(1, 2, 3);
    conv.erase(2);

    expect(conv.accepts({ seq: 1, by: "ana", cid: "gone-1" })).toBe(false);
    expect(conv.accepts({ seq: 2, by: "ana", cid: "gone-2" })).toBe(false);
    expect(conv.accepts({ seq: 4, by: "ana", cid: "new" })).toBe(true);
  });
});

describe("erase", () => {
  it("drops every message up to and including `upto`, says how many went, and keeps the rest", () => {
    const conv = waitingWith(1, 2, 3, 4);

    expect(conv.erase(2)).toBe(2);
    expect(seqsOf(conv.select(0, 0, false))).toEqual([3, 4]);
    expect(conv.erasedUpto).toBe(2);
  });

  it("never moves back", () => {
    const conv = waitingWith(1, 2, 3);
    conv.erase(3);

    expect(conv.erase(1)).toBe(0);
    expect(conv.erasedUpto).toBe(3);
  });

  it("makes a person's own erase point below it redundant", () => {
    const conv = waitingWith(1, 2, 3);
    conv.eraseFor("dr-rivera", 1);
    conv.eraseFor("sam", 3);

    conv.erase(2);

    expect(conv.floors?.has("dr-rivera")).toBe(false);
    expect(conv.floorFor("sam")).toBe(3);
  });
});

describe("eraseFor (erased for one person only)", () => {
  it("hides messages up to `upto` from that person and from nobody else", () => {
    const conv = waitingWith(1, 2, 3);

    conv.eraseFor("dr-rivera", 2);

    expect(conv.floorFor("dr-rivera")).toBe(2);
    expect(conv.floorFor("sam")).toBe(0);
    expect(conv.size).toBe(3);
    expect(seqsOf(conv.select(0, conv.floorFor("dr-rivera"), false))).toEqual([3]);
  });

  it("never moves back, and the conversation's own erase point counts for everyone", () => {
    const conv = waitingWith(1, 2, 3, 4);
    conv.eraseFor("dr-rivera", 3);
    conv.eraseFor("dr-rivera", 1);
    conv.erase(2);

    expect(conv.floorFor("dr-rivera")).toBe(3);
    expect(conv.floorFor("sam")).toBe(2);
  });
});

describe("select (what a page may be sent)", () => {
  it("gives what arrived after arrival `afterN`, in arrival order", () => {
    arrivals = 100;
    const conv = waitingWith(1, 2, 3);

    expect(seqsOf(conv.select(101, 0, false))).toEqual([2, 3]);
    expect(seqsOf(conv.select(103, 0, false))).toEqual([]);
  });

  it("never gives anything at or below the page's floor", () => {
    expect(seqsOf(waitingWith(1, 2, 3).select(0, 2, false))).toEqual([3]);
  });

  it("gives a fresh page nothing that only a patient's page vouched for (held)", () => {
    const conv = waitingWith(1);
    conv.append(msg(2, "ana", { held: true }));
    conv.append(msg(3));

    expect(seqsOf(conv.select(0, 0, true))).toEqual([1, 3]);
    expect(seqsOf(conv.select(0, 0, false))).toEqual([1, 2, 3]);
  });
});

describe("confirm (staff vouch for a held message)", () => {
  it("makes it the latest arrival, for fresh pages and for pages resuming after what came since", () => {
    arrivals = 0;
    const conv = waitingWith();
    const held = msg(1, "ana", { held: true });
    conv.append(held);
    conv.append(msg(2));

    conv.confirm(held, 3);

    expect(seqsOf(conv.select(2, 0, true))).toEqual([1]);
    expect(seqsOf(conv.select(0, 0, true))).toEqual([2, 1]);
    expect(conv.find(1)?.held).toBe(false);
  });
});

describe("what the room keeps of a message", () => {
  it("the frame of a held message does not say it is held", () => {
    const frame = JSON.parse(messageFrame("c-ana", msg(1, "ana", { held: true })));

    expect(frame).toMatchObject({ type: "msg", c: "c-ana", seq: 1 });
    expect(frame).not.toHaveProperty("held");
  });

  it.each([
    ["a plain message", {}],
    ["one written while no staff page was open", { q: true as const }],
    ["one to everyone waiting", { all: true as const }],
    ["text with quotes, a backslash, a newline, accents, CJK and an emoji", { text: 'He said "10:30"\\ok\nZoë 李雷 👋', name: "Zoë Núñez" }],
  ])("the frame of %s carries the message's fields exactly, and nothing else", (_case, extra) => {
    const m = msg(7, "ana", { time: 1_764_000_000_123, ...extra });

    expect(JSON.parse(messageFrame("c-ana", m))).toStrictEqual({ type: "msg", c: "c-ana", ...m });
  });

  it("finds a message by seq, and tells the highest seq held up to a limit", () => {
    const conv = waitingWith(2, 4, 6);
    conv.erase(1);

    expect(conv.find(4)?.seq).toBe(4);
    expect(conv.find(5)).toBeUndefined();
    expect(conv.heldUpTo(5)).toBe(4);
    expect(conv.heldUpTo(1)).toBe(1);
  });
});

describe("who is in it", () => {
  const meta = (extra: Partial<ConversationMeta> = {}): ConversationMeta => ({
    c: "g-1",
    kind: "group",
    title: "Front desk",
    owner: "dr-rivera",
    members: [
      { id: "dr-rivera", name: "Dr. Rivera", role: "host" },
      { id: "sam", name: "Sam Front", role: "staff" },
    ],
    ver: 1,
    sig: "sig",
    ...extra,
  });

  it("a patient's conversation: every staff member, and that patient only", () => {
    const conv = waitingWith();

    expect(conv.includes("dr-rivera", true)).toBe(true);
    expect(conv.includes("ana", false)).toBe(true);
    expect(conv.includes("bo", false)).toBe(false);
    expect(conv.outsiders()).toEqual(["ana"]);
  });

  it("a staff conversation: its members only, and nobody once deleted", () => {
    const group = new Conversation("g-1", "group", 0);
    group.meta = meta();

    expect(group.includes("sam", true)).toBe(true);
    expect(group.includes("lee", true)).toBe(false);
    expect(group.memberIds()).toEqual(["dr-rivera", "sam"]);
    expect(group.outsiders()).toEqual([]);

    group.meta = meta({ deleted: true, ver: 2 });
    expect(group.includes("sam", true)).toBe(false);
    expect(group.memberIds()).toEqual([]);
  });
});
