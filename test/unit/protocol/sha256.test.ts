import { createHash, createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Hmac, Sha256, toBase64Url, toHex } from "../../../protocol/sha256";

const sizes = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 65_537];

describe("SHA-256", () => {
  it("gives the published digests of the standard test strings", () => {
    const hash = (s: string) => toHex(new Sha256().update(new TextEncoder().encode(s)).digest());
    expect(hash("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });

  it.each(sizes)("matches Node's digest for %i random bytes, whole or in uneven pieces", (size) => {
    const data = randomBytes(size);
    const expected = createHash("sha256").update(data).digest("hex");
    expect(toHex(new Sha256().update(data).digest())).toBe(expected);
    const pieces = new Sha256();
    for (let i = 0; i < size; ) {
      const step = 1 + ((i * 7) % 97);
      pieces.update(data.subarray(i, i + step));
      i += step;
    }
    expect(toHex(pieces.digest())).toBe(expected);
  });
});

describe("HMAC-SHA-256", () => {
  it.each([["short key"], ["k".repeat(64)], ["a key longer than one block of sixty-four bytes, which is hashed first"]])("matches Node's HMAC under %j, signing many messages with one prepared key", (key) => {
    const mac = new Hmac(key);
    for (const size of sizes) {
      const data = randomBytes(size).toString("base64");
      expect(toBase64Url(mac.sign(data))).toBe(createHmac("sha256", key).update(data).digest("base64url"));
    }
  });

  it("encodes base64url like Node for every length remainder", () => {
    for (const size of [0, 1, 2, 3, 4, 5, 31, 32, 33]) {
      const bytes = randomBytes(size);
      expect(toBase64Url(bytes)).toBe(bytes.toString("base64url"));
    }
  });
});

describe("HMAC-SHA-256 of text, as the room signs", () => {
  const texts = [
    "",
    "a",
    ...sizes.map((n) => "x".repeat(n)),
    "Grüße, Ünïcödé ✓ 😀 and 日本語",
    "two-byte é at the edge of a block: " + "é".repeat(40),
    "emoji across blocks " + "😀".repeat(30),
    "a lone high surrogate \ud800 and a lone low one \udfff, a reversed pair \udc00\ud800, one at the end \ud83d",
  ];

  it.each([["short key"], ["a key longer than one block of sixty-four bytes, which is hashed first ........"]])("matches Node's HMAC of the UTF-8 text under %j", (key) => {
    const mac = new Hmac(key);
    for (const text of texts) expect(mac.signText(text)).toBe(createHmac("sha256", key).update(text, "utf8").digest("base64url"));
  });

  it("matches Node's HMAC of random text of every size around the block edges", () => {
    const mac = new Hmac("room secret");
    // Every UTF-16 code unit, surrogates too, from a fixed sequence.
    let unit = 7;
    const nextUnit = () => (unit = (unit * 48271) % 0x7fffffff) % 0x10000;
    for (const size of [...sizes, 2, 54, 62, 118, 200]) {
      for (let round = 0; round < 3; round++) {
        const text = Array.from({ length: size }, () => String.fromCharCode(nextUnit())).join("");
        expect(mac.signText(text)).toBe(createHmac("sha256", "room secret").update(text, "utf8").digest("base64url"));
      }
    }
  });
});
