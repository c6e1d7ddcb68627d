import { describe, expect, it } from "vitest";
import { FILES, UPLOAD_CLOSE } from "../../../protocol/files";
import { CLOSE } from "../../../protocol/wire";
import { FILE_BOUNDS } from "../../../worker/room/files/files";
import { TICK_MS } from "../../../worker/room/heartbeat";
import { FLOOD, FRAME_BUDGET } from "../../../worker/room/people";
import type { RoomOptions } from "../../../worker/room/room";
import { setup } from "../../support/fakes";
import { FILE_ROOM, answerUpload, declared, offer, readAll, sha256, testFile } from "../../support/files";

// The relay: a recipient's download is a stream that the sender's page
// feeds one asked-for chunk at a time. What the room holds, how fast it asks,
// what counts against the sender's day, and what stops a transfer.

const CHUNK = FILES.chunkBytes;
const MB = 1_000_000;
/** A byte budget that never runs out while the test's clock stands still. */
const UNBOUNDED = { burst: 1e12, perSecond: 1e12 };

/** Dr. Rivera signed in and Ana waiting; Ana offers a file of `size` bytes and Dr. Rivera starts downloading it. */
function downloading(size: number, options: Partial<RoomOptions> = {}, opts: { paused?: boolean } = {}) {
  const t = setup({ ...FILE_ROOM, ...options });
  const host = t.provider("Dr. Rivera");
  const ana = t.patient("Ana Lima");
  const file = testFile(size);
  const { id } = offer(ana, ana.c, file)!;
  const result = t.room.download(host.identity, id, "link-1");
  if (!result.ok) throw new Error(result.error);
  const upload = answerUpload(t.room, ana, file.bytes, opts);
  return { t, host, ana, file, id, result, upload };
}

describe("a download", () => {
  it("gets the file's bytes in order, and the sender hears who saved it", async () => {
    const { host, ana, file, id, result, upload } = downloading(5 * CHUNK + 99);

    const read = await readAll(result);

    expect(read.ok).toBe(true);
    expect(sha256(read.bytes)).toBe(file.sha256);
    expect(result).toMatchObject({ name: "scan-results.pdf", size: file.size });
    expect(ana.last("transfer")).toMatchObject({ id, to: { id: host.id, name: "Dr. Rivera" }, sent: file.size, state: "saved" });
    expect(upload.closedWith?.code).toBe(CLOSE.normal);
  });

  it("that nobody reads holds the sender back: the room asks for its window and no more", () => {
    const { t, upload } = downloading(40 * CHUNK);

    t.clock.advance(10 * TICK_MS);

    expect(upload.asked).toBe(FILES.window);
    expect(t.room.fileStats().heldBytes).toBe(FILES.window * CHUNK);
  });

  it("never makes the room hold more than its window of the file, however big the file", async () => {
    const { t, result, upload } = downloading(48 * CHUNK, { fileBudget: UNBOUNDED });
    const reader = (result as { stream: ReadableStream<Uint8Array> }).stream.getReader();
    let held = 0;

    for (let r = await reader.read(); !r.done; r = await reader.read()) held = Math.max(held, t.room.fileStats().heldBytes);

    expect(upload.sent).toBe(48);
    expect(held).toBeLessThanOrEqual(FILES.window * CHUNK);
    expect(t.room.fileStats().peakHeldBytes).toBeLessThanOrEqual(FILES.window * CHUNK);
    expect(t.room.fileStats()).toMatchObject({ heldBytes: 0, transfers: 0 });
  }, 20_000);

  it("fails, rather than ending short, when the sender's page stops sending mid-way; the recipient is told why", async () => {
    const { host, result, upload } = downloading(40 * CHUNK);

    upload.hangUp();

    expect((await readAll(result)).ok).toBe(false);
    expect(host.last("transfer")).toMatchObject({ state: "stopped", reason: "The sender's page stopped sending." });
  });

  it("fails when the bytes do not match the SHA-256 that was offered, before its last chunk", async () => {
    const t = setup(FILE_ROOM);
    const host = t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    const file = testFile(3 * CHUNK);
    const { id } = offer(ana, ana.c, { ...file, sha256: "cd".repeat(32) })!;
    const result = t.room.download(host.identity, id, "l1");
    answerUpload(t.room, ana, file.bytes);

    const read = await readAll(result);

    expect(read.ok).toBe(false);
    expect(read.bytes.length).toBeLessThan(file.size);
    expect(ana.last("transfer")).toMatchObject({ state: "stopped", reason: "The file changed on the sender's device while it was being sent." });
  });
});

describe("stopping a transfer", () => {
  it("the recipient's cancel stops it: the download ends short, the upload socket closes, the sender is told", async () => {
    const { host, ana, id, result, upload } = downloading(10 * CHUNK, {}, { paused: true });

    host.send({ type: "file_cancel", id });

    expect((await readAll(result)).ok).toBe(false);
    expect(upload.closedWith?.code).toBe(UPLOAD_CLOSE.stopped);
    expect(ana.last("transfer")).toMatchObject({ state: "stopped", reason: "The recipient cancelled the download." });
  });

  it("the download cancelled by the recipient's browser stops it, and the sender is told", async () => {
    const { ana, result, upload } = downloading(10 * CHUNK);

    await (result as { stream: ReadableStream }).stream.cancel();

    expect(upload.closedWith?.code).toBe(UPLOAD_CLOSE.stopped);
    expect(ana.last("transfer")).toMatchObject({ state: "stopped", reason: "The download was cancelled." });
  });

  it("the sender's page closing stops it: the download ends short", async () => {
    const { t, host, ana, result, upload } = downloading(10 * CHUNK, {}, { paused: true });

    ana.drop();

    expect((await readAll(result)).ok).toBe(false);
    expect(upload.closedWith?.code).toBe(UPLOAD_CLOSE.stopped);
    expect(host.last("transfer")).toMatchObject({ state: "stopped", reason: "The sender's page closed." });
    expect(t.room.fileStats()).toMatchObject({ transfers: 0, heldBytes: 0 });
  });

  it("the recipient leaving the room stops it", () => {
    const t = setup(FILE_ROOM);
    t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    const host = t.staff("Dr. Okafor", "host");
    const file = testFile(4 * CHUNK);
    const { id } = offer(host, ana.c, file)!;
    t.room.download(ana.identity, id, "l1");
    const upload = answerUpload(t.room, host, file.bytes, { paused: true });

    ana.send({ type: "leave" });
    t.clock.advance(TICK_MS);

    expect(upload.closedWith?.code).toBe(UPLOAD_CLOSE.stopped);
  });

  it("a sender's page that never opens its upload socket: the transfer stops after a while", () => {
    const t = setup(FILE_ROOM);
    const host = t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    const { id } = offer(ana, ana.c, declared(1_000))!;
    t.room.download(host.identity, id, "l1");

    t.clock.advance(FILE_BOUNDS.uploadWaitMs + TICK_MS);

    expect(host.last("transfer")).toMatchObject({ state: "stopped", reason: "The sender's page did not start sending." });
  });
});

describe("who may download, and how often", () => {
  it("the sender may not download their own file; someone outside the conversation is told it is not offered", () => {
    const t = setup(FILE_ROOM);
    t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");
    const { id } = offer(ana, ana.c, declared(1_000))!;

    expect(t.room.download(ana.identity, id, "l1")).toEqual({ ok: false, status: 403, error: "You sent this file." });
    expect(t.room.download(bo.identity, id, "l1")).toEqual({ ok: false, status: 404, error: "This file is no longer offered." });
  });

  it("a link is used once: a browser retrying an interrupted download by itself is refused, so a cancel stays a cancel", () => {
    const { t, host, id } = downloading(4 * CHUNK, {}, { paused: true });
    host.send({ type: "file_cancel", id });

    expect(t.room.download(host.identity, id, "link-1")).toEqual({ ok: false, status: 410, error: "This download was stopped. Start it again from the chat." });
    expect(t.room.download(host.identity, id, "link-2")).toMatchObject({ ok: true });
  });

  it("a recipient has at most four downloads moving at once", () => {
    const t = setup(FILE_ROOM);
    const host = t.provider("Dr. Rivera");
    const ana = t.patient("Ana Lima");
    const ids = [0, 1, 2, 3, 4].map((i) => offer(ana, ana.c, declared(1_000), `f${i}`)!.id);

    const results = ids.map((id) => t.room.download(host.identity, id, "l1"));

    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, false]);
    expect(results[4]).toMatchObject({ status: 429, error: "Too many files are moving right now. Please try again in a moment." });
  });
});

/** Ana offers 200 MB and five downloads of it (by Dr. Rivera and Sam) set aside her whole day. */
function wholeDaySetAside() {
  const t = setup(FILE_ROOM);
  const host = t.provider("Dr. Rivera");
  const desk = t.staff("Sam Front", "staff");
  const ana = t.patient("Ana Lima");
  const { id } = offer(ana, ana.c, declared(FILES.maxBytes))!;
  for (const [who, n] of [[host, 3], [desk, 2]] as const) for (let i = 0; i < n; i++) expect(t.room.download(who.identity, id, `${who.id}-${i}`).ok).toBe(true);
  return { t, host, desk, ana, id };
}

describe("what a person may send", () => {
  it("a file that would take the sender past 1 GB in 24 hours is refused before any byte moves, and so is a download that would", () => {
    const { t, desk, ana, id } = wholeDaySetAside();

    const sixth = t.room.download(desk.identity, id, "desk-6");
    offer(ana, ana.c, declared(1 * MB), "f2");

    expect(sixth).toMatchObject({ ok: false, status: 409 });
    expect(desk.last("error")).toMatchObject({ code: "file_refused", message: "The sender has sent 1 GB of files in the last 24 hours, the most anyone may, so this file cannot reach you now." });
    expect(ana.last("error")).toEqual({ type: "error", code: "file_refused", cid: "f2", c: ana.c, message: "You can send up to 1 GB of files in 24 hours, and this one would take you past that (you have sent 1 GB)." });
  });

  it("what a stopped transfer did not send is given back to the sender's day", () => {
    const { t, ana } = wholeDaySetAside();
    expect(offer(ana, ana.c, declared(MB), "f2")).toBeUndefined();

    // The sender's page never opens its upload sockets: nothing moved, nothing counts.
    t.clock.advance(FILE_BOUNDS.uploadWaitMs + TICK_MS);

    expect(offer(ana, ana.c, declared(MB), "f3")).toBeDefined();
  });

  it("chunks have a byte budget of their own: the room asks for no more than it allows, and asks again as it refills", async () => {
    const { t, result, upload } = downloading(16 * CHUNK, { fileBudget: { burst: 2 * CHUNK, perSecond: CHUNK } });
    const reader = (result as { stream: ReadableStream<Uint8Array> }).stream.getReader();
    await reader.read();
    await reader.read();

    expect(upload.asked).toBe(2);
    t.clock.advance(1_100);
    expect(upload.asked).toBe(3);
    t.clock.advance(1_000);

    expect(upload.asked).toBe(4);
  });

  it("chunks do not count against the chat frame budget: after more chunks than a burst of frames, the sender still chats", async () => {
    const { host, ana, result } = downloading((FRAME_BUDGET.burst + FLOOD.refused) * CHUNK, { fileBudget: UNBOUNDED });
    await readAll(result);

    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Did it arrive?" });

    expect(ana.of("error")).toEqual([]);
    expect(host.texts()).toEqual(["Did it arrive?"]);
  }, 20_000);
});
