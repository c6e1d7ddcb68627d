import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { DisplayName, NAME_MESSAGES, displayNameProblem, isolateName } from "../../protocol/names";
import { UsageError, validateName } from "../../scripts/lib/provider-link";

/** Names a person may well type, in several scripts. */
const GOOD = ["Ana Lima", "José Núñez-O'Brien", "محمد علي", "אבי כהן", "김민준", "Zoë 👩‍⚕️", "می‌خواهم", "Dr. Ng (2)", "  Padded  "];
/** Names that would be blank, forge a line, hide text or reorder the page, with what the person is told. */
const BAD: [string, string][] = [
  ["A", NAME_MESSAGES.short],
  ["x".repeat(61), NAME_MESSAGES.long],
  ["Ana\u0007Lima", NAME_MESSAGES.control],
  ["Ana\u0085Lima", NAME_MESSAGES.invisible],
  ["Ana\u009bLima", NAME_MESSAGES.invisible],
  ["Ana\u2028Lima", NAME_MESSAGES.invisible],
  ["Ana\u2029Lima", NAME_MESSAGES.invisible],
  ...["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"].map(
    (c): [string, string] => [`Ana ${c}Lima`, NAME_MESSAGES.invisible],
  ),
  ["Ali\u200Bce", NAME_MESSAGES.invisible],
  ["Ali\u00ADce", NAME_MESSAGES.invisible],
  ["Alice\u{E0041}\u{E0042}", NAME_MESSAGES.invisible],
  ["\u200B\u200C\u200D\u2060\uFEFF\u200B", NAME_MESSAGES.invisible],
  ["Ana\uD800Lima", NAME_MESSAGES.invisible],
  ["Ana\uDC00Lima", NAME_MESSAGES.invisible],
  ["\u200C\u200D\u200C", NAME_MESSAGES.blank],
  ["\u0301\u0308\u0327", NAME_MESSAGES.blank],
  ["\u3164\u3164", NAME_MESSAGES.blank],
  ["\u2800\u2800\u2800", NAME_MESSAGES.blank],
];

const serverAnswer = (name: unknown) => {
  const parsed = v.safeParse(DisplayName, name, { message: "not ours" });
  return parsed.success ? null : parsed.issues[0].message;
};

describe("display names", () => {
  it.each(GOOD)("a name in any script, with accents, emoji and joiners, is taken: %s", (name) => {
    expect(displayNameProblem(name)).toBeNull();
    expect(v.parse(DisplayName, name)).toBe(name.trim());
  });

  it.each(BAD)("a name that would be blank, hide text or reorder the page is refused with a plain message: %j", (name, message) => {
    expect(displayNameProblem(name)).toBe(message);
    expect(serverAnswer(name)).toBe(message);
  });

  it("the page and the server give the same answer for every name, and the answer never quotes it", () => {
    for (const name of [...GOOD, ...BAD.map(([n]) => n), "", "   "]) {
      const answer = serverAnswer(name);
      expect(displayNameProblem(name), JSON.stringify(name)).toBe(answer);
      if (answer && name.trim()) expect(answer).not.toContain(name.trim());
    }
    expect(serverAnswer(undefined)).toBe(NAME_MESSAGES.short);
    expect(serverAnswer(42)).toBe(NAME_MESSAGES.missing);
  });

  it("the provider-link script refuses the same characters in a provider's name", () => {
    expect(validateName("  Dr. Lee  ")).toBe("Dr. Lee");
    for (const [name, message] of BAD.filter(([n, m]) => m !== NAME_MESSAGES.short && n.length <= 60)) {
      expect(() => validateName(name), JSON.stringify(name)).toThrow(UsageError);
      expect(() => validateName(name)).toThrow(message);
    }
  });

  it("in plain text, a name is isolated so it cannot reorder the words around it", () => {
    expect(isolateName("אבי")).toBe("\u2068אבי\u2069");
  });
});
