import { describe, expect, it } from "vitest";
import { formatCode, inviteLink, normalizeCode } from "../../../protocol/access-code";
import { randomCode } from "../../../worker/directory/directory";

describe("access codes", () => {
  it("are shown in three groups of three digits", () => {
    expect(formatCode("123456789")).toBe("123 456 789");
    expect(formatCode("000120009")).toBe("000 120 009");
  });

  it.each([
    ["123456789", "123456789"],
    ["123 456 789", "123456789"],
    ["123-456-789", "123456789"],
    [" 123 - 456 - 789 ", "123456789"],
    ["123\u00a0456\u2013789", "123456789"],
  ])("accept spaces and dashes as typed: %j", (typed, code) => {
    expect(normalizeCode(typed)).toBe(code);
  });

  it.each(["", "12345678", "1234567890", "12345678a", "١٢٣٤٥٦٧٨٩", "123 456 78 9 0", "x".repeat(41)])("refuse anything but nine digits: %j", (typed) => {
    expect(normalizeCode(typed)).toBeNull();
  });

  it("the invite link carries the code in the fragment, which no server sees", () => {
    const link = new URL(inviteLink("https://chat.example-clinic.org", "123456789"));
    expect(link.pathname).toBe("/join");
    expect(link.search).toBe("");
    expect(link.hash).toBe("#code=123456789");
  });
});

describe("making a code", () => {
  it("draws again above the largest multiple of 10⁹ below 2³², so no code is likelier than another", () => {
    const draws = [4_000_000_000, 4_294_967_295, 3_999_999_999];
    expect(randomCode(() => draws.shift()!)).toBe("999999999");
    expect(draws).toEqual([]);
  });

  it("keeps leading zeros: nine digits, always", () => {
    expect(randomCode(() => 1_000_000_042)).toBe("000000042");
    expect(randomCode(() => 7)).toBe("000000007");
  });

  it("from the platform's CSPRNG by default", () => {
    const codes = new Set(Array.from({ length: 200 }, () => randomCode()));
    for (const code of codes) expect(code).toMatch(/^\d{9}$/);
    expect(codes.size).toBe(200);
  });
});
