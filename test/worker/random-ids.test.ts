/**
 * Ids the server makes are unguessable: URL-safe base64 of at least 16 random
 * bytes, never repeated. Knowing one patient's or session's id tells nothing
 * about another's.
 */
import { afterEach, expect, it } from "vitest";
import { checkIn, closeAllSockets, connect, freshRoom, postJson, staffCookie } from "./helpers";

afterEach(closeAllSockets);

const SAMPLE = 128;
/** Each host starts this many sessions, under the per-person burst of frames. */
const SESSIONS_PER_HOST = 25;

function bytesOf(id: string): Uint8Array {
  expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
  const base64 = id.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
}

/**
 * At least 128 bits each, all distinct, and each of the first 128 bits set in
 * about half of them, as random bits are: a counter or a clock would leave
 * its high bits fixed.
 */
function expectRandom128(ids: string[]): void {
  expect(ids).toHaveLength(SAMPLE);
  expect(new Set(ids).size).toBe(SAMPLE);
  const decoded = ids.map(bytesOf);
  for (const bytes of decoded) expect(bytes.length).toBeGreaterThanOrEqual(16);
  const skewed: number[] = [];
  for (let bit = 0; bit < 128; bit++) {
    const ones = decoded.filter((bytes) => (bytes[bit >> 3]! >> (bit & 7)) & 1).length;
    if (ones < 0.2 * SAMPLE || ones > 0.8 * SAMPLE) skewed.push(bit);
  }
  expect(skewed).toEqual([]);
}

async function checkInMany(room: string, count = SAMPLE, first = 0) {
  // Each from an address of their own: check-ins are limited per address.
  return Promise.all(Array.from({ length: count }, (_, i) => checkIn(room, `Patient ${first + i}`, `198.51.100.${first + i}`)));
}

it("patient ids from check-in are random 128-bit values, never repeated", async () => {
  const patients = await checkInMany(freshRoom());

  expectRandom128(patients.map((p) => p.id));
});

it("patients' conversation ids from check-in are random 128-bit values, never repeated, and tell nothing of the patient id", async () => {
  const patients = await checkInMany(freshRoom());

  expectRandom128(patients.map((p) => p.c));
  expect(patients.filter((p) => p.c === p.id)).toEqual([]);
});

it("session ids from starting text-only sessions are random 128-bit values, never repeated", async () => {
  const room = freshRoom();
  const ids: string[] = [];

  // A batch at a time, each started at once: patients who never connect keep their place for the grace period only.
  for (let i = 0; i < SAMPLE; i += SESSIONS_PER_HOST) {
    const page = await connect(room, await staffCookie(room, `Dr. Host ${i}`), { as: "staff" });
    await page.hello();
    const batch = await checkInMany(room, Math.min(SESSIONS_PER_HOST, SAMPLE - i), i);
    for (const p of batch) page.send({ type: "start_session", c: p.c });
    for (const p of batch) ids.push((await page.waitForType("session_started", (m) => m.c === p.c)).session.id);
    page.close();
  }

  expectRandom128(ids);
});

it("scheduled session links each carry a random 128-bit session id, never repeated", async () => {
  const cookie = await staffCookie(freshRoom());

  const links = await Promise.all(
    Array.from({ length: SAMPLE }, async () => {
      const res = await postJson("/api/provider/invites", { start: Date.now(), minutes: 30 }, { Cookie: cookie });
      return (await res.json<{ link: string }>()).link;
    }),
  );

  const sids = links.map((link) => {
    const payload = link.split("#t=")[1]!.split(".")[1]!;
    return JSON.parse(new TextDecoder().decode(bytesOf(payload))) as { sid: string };
  });
  expectRandom128(sids.map((claims) => claims.sid));
});
