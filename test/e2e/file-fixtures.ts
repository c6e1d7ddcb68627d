import { createHash, randomBytes } from "node:crypto";
import { createReadStream, openSync, closeSync, writeSync, ftruncateSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Browser, type Download, type Locator, type Page } from "@playwright/test";
import { chatBox, checkIn, newRoom, openChat, openProvider } from "./fixtures";

/**
 * Files for the browser tests, made by the test in the system's temporary
 * folder (never in the project) and removed by `removeTestFiles`.
 */
let folder: string | undefined;
const made = () => (folder ??= mkdtempSync(join(tmpdir(), "queue-chat-files-")));

/** Removes every file the tests of this worker made. */
export function removeTestFiles(): void {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
}

export interface MadeFile {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

/**
 * Writes `size` random bytes as `name` (with `canary` written into it at
 * the start, the middle, across a chunk boundary and at the end, if given)
 * and returns its SHA-256.
 */
export function makeFile(name: string, size: number, canary?: string): MadeFile {
  const path = join(made(), name);
  const fd = openSync(path, "w");
  const hash = createHash("sha256");
  const piece = 4 * 1024 * 1024;
  const marks = canary ? [0, Math.floor(size / 2), 256 * 1024 - 5, size - canary.length].map((at) => [at, Buffer.from(canary)] as const) : [];
  try {
    for (let at = 0; at < size; at += piece) {
      const bytes = randomBytes(Math.min(piece, size - at));
      for (const [mark, text] of marks) if (mark >= at && mark < at + bytes.length) text.copy(bytes, mark - at);
      writeSync(fd, bytes);
      hash.update(bytes);
    }
  } finally {
    closeSync(fd);
  }
  return { path, name, size, sha256: hash.digest("hex") };
}

/** A file of `size` bytes that takes no room on disk (a sparse file of zeros). */
export function emptyFile(name: string, size: number): Pick<MadeFile, "path" | "name" | "size"> {
  const path = join(made(), name);
  const fd = openSync(path, "w");
  ftruncateSync(fd, size);
  closeSync(fd);
  return { path, name, size };
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Picks `file` with the "Attach file" input of `scope` (a chat box, or the patient's page). */
export async function attach(scope: Page | Locator, file: Pick<MadeFile, "path">): Promise<void> {
  await scope.getByLabel("Attach file").setInputFiles(file.path);
}

/** Clicks "Download <name>" in `scope` and returns the browser's download, once it has started. */
export async function startDownload(page: Page, scope: Page | Locator, name: string): Promise<Download> {
  const download = page.waitForEvent("download");
  await scope.getByRole("button", { name: `Download ${name}`, exact: true }).click();
  return download;
}

/** Waits until the browser has saved a download, and returns the SHA-256 of what it saved. */
export async function savedSha256(download: Download): Promise<string> {
  const path = await download.path();
  expect(path).toBeTruthy();
  return sha256Of(path);
}

/** Dr. Smith signed in and Alice checked in, in a room of their own, with Alice's chat box open on the provider's page. */
export async function chatting(browser: Browser) {
  const room = newRoom();
  const provider = await openProvider(browser, room, "Dr. Smith");
  const patient = await checkIn(browser, room, "Alice");
  await openChat(provider, "Alice");
  return { room, provider, patient, box: chatBox(provider, "Alice") };
}
