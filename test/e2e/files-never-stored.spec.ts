import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, test } from "@playwright/test";
import { serverLogFile, serverStateDir } from "../../playwright.config";
import { fileHolds, filesUnder, log, newCanary } from "./fixtures";
import { attach, chatting, makeFile, removeTestFiles, savedSha256, startDownload } from "./file-fixtures";

test.afterAll(removeTestFiles);

const root = resolve(import.meta.dirname, "../..");

/** Every file of the project tree, build and test output included, but not the installed packages or git's own store. */
function projectFiles(): string[] {
  return readdirSync(root)
    .filter((entry) => entry !== "node_modules" && entry !== ".git")
    .flatMap((entry) => (statSync(join(root, entry)).isDirectory() ? filesUnder(join(root, entry)) : [join(root, entry)]));
}

test("a canary inside a sent file, and in its name, is found nowhere on the server side afterwards: not in its output, its storage or the project tree", async ({ browser }) => {
  const canary = newCanary();
  const { room, provider, patient, box } = await chatting(browser);
  const file = makeFile(`lab-${canary}.bin`, 2 * 1024 * 1024, canary);

  await attach(patient, file);
  const download = await startDownload(provider, log(box), file.name);
  expect(await savedSha256(download)).toBe(file.sha256);
  await expect(log(patient)).toContainText("Saved by Dr. Smith");
  // The provider's browser saved it in Playwright's downloads folder, under test-results/: that copy is the recipient's, not the server's.
  await download.delete();

  // The server's output did capture this room's traffic (its audit lines), so a canary would be there if it leaked.
  expect(fileHolds(serverLogFile, room)).toBe(true);
  expect(fileHolds(serverLogFile, canary)).toBe(false);
  const files = [...filesUnder(serverStateDir), ...projectFiles()];
  expect(files.some((f) => f.startsWith(serverStateDir))).toBe(true);
  expect(existsSync(file.path) && !file.path.startsWith(root)).toBe(true);
  for (const f of files) expect(fileHolds(f, canary), f).toBe(false);
});
