import { expect, test, type Browser, type Page } from "@playwright/test";
import { log, send } from "./fixtures";
import { attach, chatting, makeFile, removeTestFiles, savedSha256, startDownload, type MadeFile } from "./file-fixtures";

// A 150 MB file made once for the tests below, in the system's temporary
// folder; each test sends it from a patient to a provider through the room.
test.describe.configure({ mode: "serial", timeout: 120_000 });

const MB = 1_000_000;
let big: MadeFile;
test.beforeAll(() => {
  big = makeFile("scan-results.bin", 150 * MB);
});
test.afterAll(removeTestFiles);

/** Dr. Smith and Alice chatting; Alice has offered the 150 MB file and the provider sees it. */
async function offered(browser: Browser) {
  const { provider, patient, box } = await chatting(browser);
  await attach(patient, big);
  await expect(log(box)).toContainText("scan-results.bin · 150 MB", { timeout: 30_000 });
  return { provider, patient, box };
}

/** How fast the page hashed the file it attached, from its own measure: reading and hashing, and hashing alone (MB/s). */
const hashSpeed = (page: Page) =>
  page.evaluate(() => {
    const [entry] = performance.getEntriesByName("queue-chat:sha256") as PerformanceMeasure[];
    const { bytes, hashingMs } = entry.detail as { bytes: number; hashingMs: number };
    return { overall: bytes / 1e3 / entry.duration, hashing: bytes / 1e3 / hashingMs };
  });

test("a patient sends a 150 MB file made by the test, and the provider's saved file has the same SHA-256", async ({ browser }, testInfo) => {
  const { provider, patient, box } = await offered(browser);

  const started = Date.now();
  const download = await startDownload(provider, log(box), "scan-results.bin");
  await expect(patient.getByRole("progressbar", { name: "Sending scan-results.bin" })).toBeVisible();
  const saved = await savedSha256(download);
  const seconds = (Date.now() - started) / 1000;

  expect(saved).toBe(big.sha256);
  await expect(log(patient)).toContainText("Saved by Dr. Smith");
  const hashed = await hashSpeed(patient);
  const figures = `150 MB in ${seconds.toFixed(1)} s (${(150 / seconds).toFixed(0)} MB/s); the page read and hashed it at ${hashed.overall.toFixed(0)} MB/s (SHA-256 alone: ${hashed.hashing.toFixed(0)} MB/s)`;
  testInfo.annotations.push({ type: "throughput", description: figures });
  console.log(figures);
});

test("a chat message sent while a 150 MB file moves reaches the other side within a second", async ({ browser }) => {
  const { provider, patient, box } = await offered(browser);
  const download = await startDownload(provider, log(box), "scan-results.bin");
  const sending = patient.getByRole("progressbar", { name: "Sending scan-results.bin" });
  await expect.poll(() => sending.evaluate((bar: HTMLProgressElement) => bar.value)).toBeGreaterThan(5 * MB);
  const text = "Is the scan coming through?";
  const arrival = provider.evaluate(
    (text) =>
      new Promise<number>((resolve) => {
        const seen = () => document.querySelector("[role=log]")?.textContent?.includes(text);
        new MutationObserver((_, observer) => {
          if (!seen()) return;
          observer.disconnect();
          resolve(Date.now());
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      }),
    text,
  );

  const sent = Date.now();
  await send(patient, text);
  const arrived = await arrival;
  const stillMoving = await sending.evaluate((bar: HTMLProgressElement) => bar.value < bar.max).catch(() => false);

  expect(arrived - sent).toBeLessThan(1_000);
  expect(stillMoving).toBe(true);
  console.log(`a message during the transfer arrived in ${arrived - sent} ms`);
  expect(await savedSha256(download)).toBe(big.sha256);
});

test("either side can cancel while the file moves: the download fails rather than saving part of it, and the other side is told", async ({ browser }) => {
  const { provider, patient, box } = await offered(browser);
  const sending = patient.getByRole("progressbar", { name: "Sending scan-results.bin" });

  const first = await startDownload(provider, log(box), "scan-results.bin");
  await expect(sending).toBeVisible();
  await log(box).getByRole("button", { name: "Cancel download of scan-results.bin" }).click();
  expect(await first.failure()).not.toBeNull();
  await expect(log(patient)).toContainText("Stopped: The recipient cancelled the download.");

  const second = await startDownload(provider, log(box), "scan-results.bin");
  await expect(sending).toBeVisible();
  await log(patient).getByRole("button", { name: "Cancel scan-results.bin" }).click();
  expect(await second.failure()).not.toBeNull();
  await expect(log(box)).toContainText("No longer offered: The sender cancelled it.");
  await expect(log(box).getByRole("button", { name: "Download scan-results.bin" })).toHaveCount(0);
});
