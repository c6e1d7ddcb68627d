/**
 * Files through the real worker and room: the recipient's download is an
 * HTTP response fed chunk by chunk from the sender's upload socket, never
 * held whole anywhere. Cancels from either side, a side that vanishes, and
 * the bound on what the room holds.
 */
import { runInDurableObject } from "cloudflare:test";
import { afterEach, expect, it } from "vitest";
import { FILES, UPLOAD_CLOSE } from "../../protocol/files";
import { CLOSE } from "../../protocol/wire";
import type { RoomDO } from "../../worker/room-do";
import { closeAllSockets, freshRoom, joinAsPatient, joinAsStaff, roomStub } from "./helpers";
import { answerUpload, download, offer, readAll, sha256, testFile, upgradeUpload } from "./file-pages";

afterEach(closeAllSockets);

const CHUNK = FILES.chunkBytes;

/** Dr. Rivera signed in and Ana waiting, both connected. */
async function clinic() {
  const room = freshRoom();
  const host = await joinAsStaff(room, { name: "Dr. Rivera" });
  const ana = await joinAsPatient(room, "Ana Lima");
  return { room, host, ana };
}

/** Ana offers a file of `size` bytes, Dr. Rivera starts downloading it, and Ana's page opens its upload socket. */
async function transfer(size: number, opts: { paused?: boolean } = {}) {
  const { room, host, ana } = await clinic();
  const file = await testFile(size);
  const offered = await offer(ana.socket, ana.patient.c, file);
  const link = crypto.randomUUID();
  const res = await download(room, host.cookie, offered.id, "staff", link);
  const upload = await answerUpload(room, ana.socket, ana.patient.cookie, file, opts);
  return { room, host, ana, file, offered, res, upload, link };
}

const fileStats = (room: string) => runInDurableObject(roomStub(room), (instance: RoomDO) => instance.fileStats()!);

it("a patient's file reaches the provider's download byte for byte, in order, as an attachment", async () => {
  const { room, host, ana } = await clinic();
  const file = await testFile(3 * CHUNK + 123);

  const offered = await offer(ana.socket, ana.patient.c, file);
  const seen = await host.socket.waitForType("file", (m) => m.id === offered.id);
  const res = await download(room, host.cookie, offered.id, "staff");
  const upload = await answerUpload(room, ana.socket, ana.patient.cookie, file);
  const saved = await readAll(res);

  expect(seen).toMatchObject({ c: ana.patient.c, by: ana.patient.id, name: "Ana Lima", role: "patient", file: { name: file.name, size: file.bytes.length, sha256: file.sha256 } });
  expect(res.status).toBe(200);
  expect(await sha256(saved)).toBe(file.sha256);
  expect(res.headers.get("Content-Type")).toBe("application/octet-stream");
  expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="scan-results.pdf"; filename*=UTF-8''scan-results.pdf`);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  expect(await ana.socket.waitForType("transfer", (m) => m.state === "saved")).toMatchObject({ id: offered.id, to: { id: host.id, name: "Dr. Rivera" }, sent: file.bytes.length });
  expect(await host.socket.waitForType("transfer", (m) => m.state === "saved")).toMatchObject({ id: offered.id, sent: file.bytes.length });
  expect((await upload.waitForClose()).code).toBe(1000);
});

it("a provider's file reaches the patient's download, named for the patient's disk and never inline", async () => {
  const { room, host, ana } = await clinic();
  const file = await testFile(CHUNK + 1, "Résumé ‮fdp.exe");
  const clean = await testFile(CHUNK + 1, "Résumé _fdp.exe");

  host.socket.send({ type: "file_offer", c: ana.patient.c, cid: "f1", file: { name: file.name, size: file.bytes.length, sha256: file.sha256 } });
  const refused = await host.socket.waitForType("error");
  expect(refused.code).toBe("bad_frame");
  expect(refused.cid).toBeUndefined();
  const offered = await offer(host.socket, ana.patient.c, clean);
  const res = await download(room, ana.patient.cookie, offered.id);
  await answerUpload(room, host.socket, host.cookie, clean, { as: "staff" });

  expect(await sha256(await readAll(res))).toBe(clean.sha256);
  expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="R_sum_ _fdp.exe"; filename*=UTF-8''R%C3%A9sum%C3%A9%20_fdp.exe`);
});

it("a download that is read slowly holds the sender back: the room asks for a chunk only as one is read, and holds at most a few", async () => {
  const { room, file, res, upload } = await transfer(48 * CHUNK);

  const reader = res.body!.getReader();
  let read = 0;
  let ahead = 0;
  const hash = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.byteLength;
    hash.push(value);
    // What the sender was asked for beyond what the download has read: the window plus the stream's own small buffers (about 2 chunks).
    ahead = Math.max(ahead, upload.asked * CHUNK - read);
  }

  expect(read).toBe(file.bytes.length);
  expect(ahead).toBeLessThanOrEqual(2 * FILES.window * CHUNK);
  expect((await fileStats(room)).peakHeldBytes).toBeLessThanOrEqual(FILES.window * CHUNK);
  expect(await sha256(new Uint8Array(await new Blob(hash).arrayBuffer()))).toBe(file.sha256);
}, 30_000);

it("the recipient cancels from their page: the download fails and stays failed, the sender stops and is told, and a new click downloads it again", async () => {
  const { room, host, ana, file, offered, res, upload, link } = await transfer(10 * CHUNK);
  await upload.waitForAsked(1);

  host.socket.send({ type: "file_cancel", id: offered.id });

  await expect(readAll(res)).rejects.toThrow();
  expect((await upload.waitForClose()).code).toBe(UPLOAD_CLOSE.stopped);
  expect(await ana.socket.waitForType("transfer", (m) => m.state === "stopped")).toMatchObject({ id: offered.id, reason: "The recipient cancelled the download." });
  // A browser retries an interrupted download by itself, with the same link: refused.
  const retried = await download(room, host.cookie, offered.id, "staff", link);
  expect(retried.status).toBe(410);
  expect(await retried.json()).toEqual({ error: "This download was stopped. Start it again from the chat." });
  const from = ana.socket.mark();
  const again = await download(room, host.cookie, offered.id, "staff");
  await answerUpload(room, ana.socket, ana.patient.cookie, file, { from });
  expect(await sha256(await readAll(again))).toBe(file.sha256);
});

it("the recipient's download is dropped (the browser cancelled or lost it): the sender stops and is told", async () => {
  const { room, ana, res, upload } = await transfer(40 * CHUNK);
  const reader = res.body!.getReader();
  await reader.read();

  await reader.cancel();

  expect((await upload.waitForClose()).code).toBe(UPLOAD_CLOSE.stopped);
  expect(await ana.socket.waitForType("transfer", (m) => m.state === "stopped")).toMatchObject({ reason: "The download was cancelled." });
  expect(await fileStats(room)).toMatchObject({ transfers: 0, heldBytes: 0, offers: 1 });
});

it("the sender cancels while it moves: the download fails, the offer is gone for everyone and cannot be downloaded again", async () => {
  const { room, host, ana, offered, res, upload } = await transfer(10 * CHUNK, { paused: true });
  await upload.waitForAsked(FILES.window);

  ana.socket.send({ type: "file_cancel", id: offered.id });

  await expect(readAll(res)).rejects.toThrow();
  expect(await host.socket.waitForType("file_gone")).toMatchObject({ id: offered.id, reason: "The sender cancelled it." });
  expect((await upload.waitForClose()).code).toBe(UPLOAD_CLOSE.stopped);
  const again = await download(room, host.cookie, offered.id, "staff");
  expect(again.status).toBe(404);
  expect(await again.json()).toEqual({ error: "This file is no longer offered." });
});

it("the sender's page vanishes mid-transfer: the download fails instead of saving part of the file, and the offer is gone", async () => {
  const { room, host, ana, file, offered, res, upload } = await transfer(10 * CHUNK, { paused: true });
  await upload.waitForAsked(1);
  upload.sendRaw(file.bytes.slice(0, CHUNK));

  upload.close(1001, "going away");

  await expect(readAll(res)).rejects.toThrow();
  expect(await host.socket.waitForType("transfer", (m) => m.state === "stopped")).toMatchObject({ reason: "The sender's page stopped sending." });
  ana.socket.close();
  expect(await host.socket.waitForType("file_gone")).toMatchObject({ id: offered.id, reason: "The sender's page closed." });
  expect((await download(room, host.cookie, offered.id, "staff")).status).toBe(404);
});

it("bytes that do not match the offered SHA-256 fail the download before its last chunk", async () => {
  const { room, host, ana } = await clinic();
  const file = await testFile(3 * CHUNK);
  const other = await testFile(3 * CHUNK, file.name, 99);
  const offered = await offer(ana.socket, ana.patient.c, file);
  const res = await download(room, host.cookie, offered.id, "staff");
  await answerUpload(room, ana.socket, ana.patient.cookie, other);

  await expect(readAll(res)).rejects.toThrow();
  expect(await ana.socket.waitForType("transfer", (m) => m.state === "stopped")).toMatchObject({ reason: "The file changed on the sender's device while it was being sent." });
});

it.each([
  ["a chunk that was not asked for", (bytes: Uint8Array) => bytes.slice(0, CHUNK), CLOSE.policy, true],
  ["a chunk larger than the bound", (bytes: Uint8Array) => bytes.slice(0, CHUNK + 1), CLOSE.tooBig, false],
  ["a text frame", () => '{"type":"more","n":100}', CLOSE.policy, false],
  ["a chunk of the wrong length", (bytes: Uint8Array) => bytes.slice(0, 100), CLOSE.policy, false],
])("%s closes the upload socket and stops the transfer", async (_name, frame, code, drained) => {
  const { file, res, upload } = await transfer(20 * CHUNK, { paused: true });
  await upload.waitForAsked(FILES.window);
  // Everything asked for is sent first, so that the next chunk is one too many.
  if (drained) upload.resume();

  upload.sendRaw(frame(file.bytes));

  expect((await upload.waitForClose()).code).toBe(code);
  await expect(readAll(res)).rejects.toThrow();
});

it("only the sender's page may open the upload socket, and only for a transfer that waits for one", async () => {
  const { room, host, ana } = await clinic();
  const bo = await joinAsPatient(room, "Bo Chen");
  const file = await testFile(CHUNK);
  const offered = await offer(ana.socket, ana.patient.c, file);
  void download(room, host.cookie, offered.id, "staff");
  const { t } = await ana.socket.waitForType("upload");

  expect((await upgradeUpload(room, bo.patient.cookie, t)).status).toBe(404);
  expect((await upgradeUpload(room, host.cookie, t, { as: "staff" })).status).toBe(404);
  expect((await upgradeUpload(room, ana.patient.cookie, t, { origin: "https://evil.example" })).status).toBe(403);
  expect((await upgradeUpload(room, "qc_patient=forged", t)).status).toBe(401);
  expect((await upgradeUpload(room, ana.patient.cookie, "not-a-transfer")).status).toBe(404);
  expect((await upgradeUpload(room, ana.patient.cookie, t)).status).toBe(101);
  expect((await upgradeUpload(room, ana.patient.cookie, t)).status).toBe(404);
});
