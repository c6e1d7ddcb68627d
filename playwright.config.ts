import { resolve } from "node:path";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium, missingChromium } from "./test/harness/chromium.ts";

const port = Number(process.env.E2E_PORT ?? 8799);
export const baseURL = `http://127.0.0.1:${port}`;

/**
 * What the server leaves behind, for the tests that prove no message text
 * lands there: every line the worker logs, and Miniflare's storage folder.
 * Under test-results/ (git-ignored), emptied by the server when it starts.
 */
export const serverLogFile = resolve(import.meta.dirname, "test-results/server.log");
export const serverStateDir = resolve(import.meta.dirname, "test-results/server-state");

// Playwright cannot download its own browser here: use the system Chromium.
const executablePath = findChromium();
if (!executablePath) {
  // One line instead of Playwright's advice to download a browser.
  process.stderr.write(`${missingChromium()}\n`);
  process.exit(1);
}

export default defineConfig({
  testDir: "test/e2e",
  // Tests wait for what a user would see, never for time; these bounds only
  // give a busy 2-core machine room (a group session opens four browsers).
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 2,
  forbidOnly: !!process.env.CI,
  // On CI a test that fails is run once more and reported as flaky if it then
  // passes; one that fails twice fails the run.
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  use: {
    baseURL,
    browserName: "chromium",
    acceptDownloads: true,
    launchOptions: {
      executablePath,
      args: CHROMIUM_ARGS,
    },
  },
  // The large transfers run last, on their own: hashing and relaying hundreds
  // of megabytes would otherwise slow every test running beside them.
  projects: [
    { name: "chat", testIgnore: /large-files\.spec\.ts/ },
    { name: "large files", testMatch: /large-files\.spec\.ts/, dependencies: ["chat"] },
  ],
  webServer: {
    command: "node test/harness/server.ts",
    url: `${baseURL}/`,
    reuseExistingServer: false,
    stdout: "ignore",
    env: {
      PORT: String(port),
      LEAVE_GRACE_SECONDS: "2",
      SESSION_SECRET: "e2e-secret-not-for-production",
      LOG_FILE: serverLogFile,
      STATE_DIR: serverStateDir,
    },
  },
});
