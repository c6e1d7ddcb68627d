import { describe, expect, it } from "vitest";
import { Signatures } from "../../../worker/room/signatures";
import { sign } from "../../support/fakes";

// Pages keep the room's signatures across a deploy and hand messages back
// with them: a new version of the room must sign a message exactly as the
// one before it did.

describe("a message's signature", () => {
  const fields = {
    seq: 1_767_600_000_000_123,
    cid: 'c-"1"',
    by: "AbCdEfGhIjKlMnOpQrStUv",
    name: "Zoë \u2068Ana\u2069",
    role: "patient" as const,
    text: 'Line one\nline "two" \\ 😀 \u2028 \ud800',
    time: 1_767_600_000_000,
  };

  it("is the HMAC of its fields as one JSON array, as pages have them signed", () => {
    const sigs = new Signatures("clinic-7", sign);
    expect(sigs.message("conv-1", fields)).toBe(sign(JSON.stringify(["msg", "clinic-7", "conv-1", fields.seq, fields.cid, fields.by, fields.name, fields.role, fields.text, fields.time, false, false])));
    expect(sigs.message("conv-1", { ...fields, q: true })).toBe(sign(JSON.stringify(["msg", "clinic-7", "conv-1", fields.seq, fields.cid, fields.by, fields.name, fields.role, fields.text, fields.time, true, false])));
  });

  it("of a message to everyone waiting names no conversation", () => {
    const sigs = new Signatures("clinic-7", sign);
    expect(sigs.message("conv-1", { ...fields, all: true })).toBe(sign(JSON.stringify(["msg", "clinic-7", "*", fields.seq, fields.cid, fields.by, fields.name, fields.role, fields.text, fields.time, false, true])));
  });
});
