import { statSync } from "node:fs";
import { join, sep } from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { ownEntries, startLocalCopy, type LocalRun } from "../harness/npm-start";
import {
  SECRET,
  chatBox,
  chatWithCanaryOn,
  checkInFrom,
  closeAndLeave,
  downloadChat,
  fileHolds,
  filesUnder,
  log,
  newCanary,
  openChat,
  providerLink,
  signInProvider,
} from "./fixtures";
import { attach, makeFile, removeTestFiles, savedSha256, startDownload } from "./file-fixtures";

// One `npm start` for the tests below, in order: it builds and boots workerd,
// and every request passes through Vite's preview server, so allow more time.
test.describe.configure({ mode: "serial", timeout: 120_000 });

let run: LocalRun;
test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(180_000);
  run = await startLocalCopy(testInfo.outputPath("npm-start"), SECRET);
});
test.afterAll(async () => {
  await run?.stop();
  removeTestFiles();
});

/** Two pages in browser contexts of their own, on the `npm start` server. */
const pagesOnRun = (browser: Browser) => Promise.all([0, 1].map(async () => (await browser.newContext({ baseURL: run.origin })).newPage()));

/** Every file the local run may have written: the project copy (its own files), its TMPDIR and its config folder. */
const writtenByRun = () => [...ownEntries(run.project).flatMap((e) => (statSync(e).isDirectory() ? filesUnder(e) : [e])), ...filesUnder(run.tmp), ...filesUnder(run.config)];

test("npm start prints a provider link that works, is valid for 12 hours at most, and says it is a credential", async ({ browser }) => {
  const banner = run.output();
  const link = banner.match(/http:\/\/localhost:\d+\/provider#k=\S+/)?.[0];
  expect(link, banner).toBeDefined();
  const claims = JSON.parse(Buffer.from(link!.split("#k=")[1]!.split(".")[1]!, "base64url").toString("utf8")) as { iat: number; exp: number };
  expect(claims.exp - claims.iat).toBeLessThanOrEqual(12 * 3600);
  expect(claims.exp * 1000 - Date.now()).toBeGreaterThan(11 * 3_600_000);
  expect(banner).toMatch(/credential/i);
  expect(banner).toContain("12 hours");

  const [page] = await pagesOnRun(browser);
  await signInProvider(page, link!);
  await expect(page.getByRole("heading", { name: "Waiting room demo" })).toBeVisible();
  await page.context().close();
});

test("a file sent while npm start serves leaves nothing of its contents or its name on disk, nor in what the server printed", async ({ browser }) => {
  const canary = newCanary();
  const [provider, patient] = await pagesOnRun(browser);
  await signInProvider(provider, await providerLink("e2e-files", "Dr. Smith"));
  await checkInFrom(patient, "e2e-files", "Alice");
  await openChat(provider, "Alice");
  const box = chatBox(provider, "Alice");
  const file = makeFile(`scan-${canary}.bin`, 1024 * 1024 + 7, canary);

  await attach(patient, file);
  expect(await savedSha256(await startDownload(provider, log(box), file.name))).toBe(file.sha256);
  await expect(log(patient)).toContainText("Saved by Dr. Smith");

  const files = writtenByRun();
  expect(files.filter((f) => f.includes(`${sep}miniflare-`) && f.includes(`${sep}do${sep}`)).length).toBeGreaterThan(0);
  for (const f of files) expect(fileHolds(f, canary), f).toBe(false);
  expect(run.output()).not.toContain(canary);
  await Promise.all([provider, patient].map((page) => page.context().close()));
});

test("while npm start serves a whole chat, nothing it writes to disk holds the room, the names or the text, and its built secret is private", async ({ browser }) => {
  const canary = newCanary();
  const [provider, patient] = await pagesOnRun(browser);
  // The canary in the room id (so in request URLs), in a non-ASCII name and in both messages.
  const chat = await chatWithCanaryOn(provider, patient, `e2e-${canary}`, canary, `Zoë ${canary}`);
  await downloadChat(provider, chat.patientName);
  await closeAndLeave(chat);

  // The scan reads the runtime's scratch space: Miniflare's folder with the rooms' (empty) storage is there.
  const files = writtenByRun();
  expect(files.filter((f) => f.includes(`${sep}miniflare-`) && f.includes(`${sep}do${sep}`)).length).toBeGreaterThan(0);
  for (const file of files) expect(fileHolds(file, canary), file).toBe(false);
  // The build's copy of the secret, which `vite preview` reads, is for its owner only, like .dev.vars itself.
  for (const secretFile of [join(run.project, ".dev.vars"), join(run.project, "dist/queue_chat/.dev.vars")]) {
    expect((statSync(secretFile).mode & 0o777).toString(8), secretFile).toBe("600");
  }

  // And once it is stopped, nothing is left behind either.
  await Promise.all([provider, patient].map((page) => page.context().close()));
  await run.stop();
  for (const file of writtenByRun()) expect(fileHolds(file, canary), file).toBe(false);
});
