import { describe, expect, it } from "vitest";
import { LIMITS, parseClientFrame, parseWithSchemas } from "../../../protocol/wire";

// The commonest frames (a message, a message to everyone waiting) are read
// by hand before the schemas: whatever a page sends, the answer must be the
// one the schemas give, accepted or refused, with the same error.

const same = (frame: string) => expect(parseClientFrame(frame), frame.slice(0, 200)).toEqual(parseWithSchemas(JSON.parse(frame)));

/** mulberry32: the same frames on every run. */
function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ID = "AbCdEfGhIjKlMnOpQrStUv";
const VALUES: unknown[] = [
  "",
  "a",
  "x".repeat(LIMITS.idChars - 1),
  "x".repeat(LIMITS.idChars),
  "x".repeat(LIMITS.idChars + 1),
  "€".repeat(LIMITS.idChars),
  ID,
  "Hello, I am running a few minutes late, is that all right?",
  " ",
  " \n\t ",
  "\u00a0\u2028\ufeff",
  "\u200b",
  "😀",
  "x".repeat(LIMITS.textChars - 1),
  "x".repeat(LIMITS.textChars),
  "x".repeat(LIMITS.textChars + 1),
  " ".repeat(LIMITS.textChars + 1),
  "😀".repeat(LIMITS.textChars / 2),
  "😀".repeat(LIMITS.textChars / 2 + 1),
  0,
  1,
  -1,
  null,
  true,
  [],
  ["x"],
  {},
  { text: "hi" },
];
const KEYS = ["type", "c", "cid", "text", "__proto__", "constructor", "toString", "by", "all", "seq", "sig", "C", ""];
const TYPES = ["send", "broadcast", "Send", "send ", "msg", "ping", "", 1, null];

describe("the commonest frames are read exactly as the schemas read them", () => {
  it("a message and a message to everyone waiting, as pages write them", () => {
    for (const frame of [
      { type: "send", c: ID, cid: "a1", text: "Hello" },
      { type: "broadcast", cid: "a1", text: "The clinic closes early today." },
      { text: "Hello", cid: "a1", c: ID, type: "send" },
      { type: "send", c: "x", cid: "y".repeat(LIMITS.clientIdChars), text: "z".repeat(LIMITS.textChars) },
    ]) {
      same(JSON.stringify(frame));
      expect(parseClientFrame(JSON.stringify(frame))).toEqual({ ok: true, message: frame });
    }
  });

  it("each field missing, of another type, empty, blank or at and over its limit", () => {
    for (const base of [
      { type: "send", c: ID, cid: "a1", text: "Hello" },
      { type: "broadcast", cid: "a1", text: "Hello" },
    ]) {
      for (const key of Object.keys(base)) {
        const { [key]: _, ...without } = base as Record<string, unknown>;
        same(JSON.stringify(without));
        for (const value of VALUES) same(JSON.stringify({ ...base, [key]: value }));
      }
      for (const type of TYPES) same(JSON.stringify({ ...base, type }));
    }
  });

  it("an extra key, however it is named, is refused as the schemas refuse it", () => {
    for (const base of [
      { type: "send", c: ID, cid: "a1", text: "Hello" },
      { type: "broadcast", cid: "a1", text: "Hello" },
    ]) {
      for (const key of KEYS) {
        if (key in base && key !== "__proto__" && key !== "constructor" && key !== "toString") continue;
        const frame = `${JSON.stringify(base).slice(0, -1)},${JSON.stringify(key)}:"x"}`;
        same(frame);
      }
      // A key written twice is one key in JSON: the last one counts.
      same(`${JSON.stringify(base).slice(0, -1)},"text":"again"}`);
      same(`${JSON.stringify(base).slice(0, -1)},"text":"   "}`);
    }
  });

  it("JSON that is not an object", () => {
    for (const frame of ["null", "0", '"send"', "[]", '["send"]', '[{"type":"send"}]', "true"]) same(frame);
  });

  it("thousands of random frames built from the fields of these two", () => {
    const random = rng(20261130);
    const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    for (let i = 0; i < 5000; i++) {
      const frame: Record<string, unknown> = {};
      const count = Math.floor(random() * 6);
      for (let k = 0; k < count; k++) frame[pick(KEYS)] = random() < 0.5 ? pick(VALUES) : pick(TYPES);
      if (random() < 0.8) frame.type = pick(["send", "broadcast"]);
      if (random() < 0.7) frame.cid = random() < 0.8 ? `c${i}` : pick(VALUES);
      if (random() < 0.7) frame.text = random() < 0.8 ? "Hello there" : pick(VALUES);
      if (random() < 0.6) frame.c = random() < 0.8 ? ID : pick(VALUES);
      same(JSON.stringify(frame));
    }
  });
});
