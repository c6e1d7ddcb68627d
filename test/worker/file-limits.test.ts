/**
 * What the worker refuses around files, before a byte moves, and what it
 * never keeps: nothing in storage, nothing of a file in its logs.
 */
import { runInDurableObject } from "cloudflare:test";
import { afterEach, expect, it, vi } from "vitest";
import { FILES } from "../../protocol/files";
import { api, captureConsole, checkIn, closeAllSockets, freshRoom, joinAsPatient, joinAsStaff, roomStub } from "./helpers";
import { answerUpload, download, offer, readAll, sha256, testFile } from "./file-pages";

afterEach(() => {
  closeAllSockets();
  vi.restoreAllMocks();
});

const declared = (size: number) => ({ type: "file_offer", cid: "big", file: { name: "whole-body.dcm", size, sha256: "ab".repeat(32) } });

it("a file over 200 MB is refused in plain words, and nobody is told of it", async () => {
  const room = freshRoom();
  const host = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");

  ana.socket.send({ ...declared(FILES.maxBytes + 1), c: ana.patient.c });

  expect(await ana.socket.waitForType("error")).toEqual({ type: "error", code: "file_refused", message: "Files can be at most 200 MB.", cid: "big", c: ana.patient.c });
  await host.socket.settle();
  expect(host.socket.of("file")).toEqual([]);
});

it("once a sender's transfers reach 1 GB in 24 hours, another download and another offer are refused before a byte moves", async () => {
  const room = freshRoom();
  const host = await joinAsStaff(room, { name: "Dr. Rivera" });
  const desk = await joinAsStaff(room, { name: "Sam Front", role: "staff" });
  const ana = await joinAsPatient(room, "Ana Lima");
  ana.socket.send({ ...declared(FILES.maxBytes), c: ana.patient.c });
  const { id } = await ana.socket.waitForType("file");
  for (const [who, n] of [[host, 3], [desk, 2]] as const) for (let i = 0; i < n; i++) expect((await download(room, who.cookie, id, "staff")).status).toBe(200);

  const sixth = await download(room, desk.cookie, id, "staff");
  ana.socket.send({ type: "file_offer", c: ana.patient.c, cid: "small", file: { name: "note.txt", size: 10, sha256: "ab".repeat(32) } });

  expect(sixth.status).toBe(409);
  expect(await desk.socket.waitForType("error")).toMatchObject({ code: "file_refused" });
  expect(await ana.socket.waitForType("error")).toMatchObject({ code: "file_refused", cid: "small", message: expect.stringContaining("You can send up to 1 GB of files in 24 hours") });
});

it("the download route answers only someone signed in to that room, and never says more than that a file is not offered", async () => {
  const room = freshRoom();
  const host = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  const elsewhere = await checkIn(freshRoom(), "Bo Chen");
  const { id } = await offer(ana.socket, ana.patient.c, await testFile(1_000));

  expect((await download(room, "", id, "staff")).status).toBe(401);
  expect((await download(room, elsewhere.cookie, id)).status).toBe(401);
  expect((await download(room, host.cookie, "no-such-file", "staff")).status).toBe(404);
  expect((await download(room, host.cookie, "../../etc", "staff")).status).toBe(404);
  expect((await api(`/api/rooms/${room}/files/${id}?as=staff`, { headers: { Cookie: host.cookie } })).status).toBe(404);
  expect((await api(`/api/rooms/${room}/files/${id}?link=l1&as=staff`, { method: "HEAD", headers: { Cookie: host.cookie } })).status).toBe(405);
  expect(await (await download(room, ana.patient.cookie, id)).json()).toEqual({ error: "You sent this file." });
});

it("after a file moved, the room's Durable Object has nothing in storage and its logs hold neither the file's name nor its bytes", async () => {
  const logged = captureConsole();
  const room = freshRoom();
  const host = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  const canary = `canary${crypto.randomUUID().slice(0, 8)}`;
  const file = await testFile(2 * FILES.chunkBytes + 5, `lab-${canary}.pdf`);
  file.bytes.set(new TextEncoder().encode(canary), FILES.chunkBytes - 3);
  file.sha256 = await sha256(file.bytes);
  const { id } = await offer(ana.socket, ana.patient.c, file);
  const res = await download(room, host.cookie, id, "staff");
  await answerUpload(room, ana.socket, ana.patient.cookie, file);
  expect(await sha256(await readAll(res))).toBe(file.sha256);
  await ana.socket.waitForType("transfer", (m) => m.state === "saved");

  const stored = await runInDurableObject(roomStub(room), async (_instance, state) => ({ keys: (await state.storage.list()).size, alarm: await state.storage.getAlarm() }));

  expect(stored).toEqual({ keys: 0, alarm: null });
  expect(logged.some((line) => line.includes('"audit":"file_saved"'))).toBe(true);
  expect(logged.join("\n")).not.toContain(canary);
});
