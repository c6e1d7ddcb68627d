import { readFileSync, readdirSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { startServer } from "../harness/server";
import { chatBox, checkInFrom, log, newRoom, openChat, providerLink, signInProvider } from "./fixtures";
import { attach, makeFile, removeTestFiles, savedSha256, startDownload } from "./file-fixtures";

// The relay's memory while 200 MB files move through it: this test runs a
// server of its own, so the workerd it samples serves these transfers only.
test.describe.configure({ timeout: 300_000 });
test.afterAll(removeTestFiles);

const MB = 1_000_000;
/**
 * What the whole runtime (Miniflare's entry worker, the Worker, the room) may
 * grow by: while the first file moves after it starts, and while the next one does.
 */
const FIRST_BOUND = 120 * MB;
const LATER_BOUND = 24 * MB;

/** The workerd this test process started (through Miniflare). */
function ownWorkerd(): number {
  const parentOf = (pid: string) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[1]);
  const mine = readdirSync("/proc").filter((p) => /^\d+$/.test(p) && readFileSync(`/proc/${p}/comm`, "utf8").startsWith("workerd") && parentOf(p) === process.pid);
  expect(mine).toHaveLength(1);
  return Number(mine[0]);
}

const rss = (pid: number) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;

test("while 200 MB files move through the room, the runtime's memory levels off instead of growing with what moves", async ({ browser }) => {
  const server = await startServer({ port: 0, vars: { LEAVE_GRACE_SECONDS: "2" } });
  try {
    const workerd = ownWorkerd();
    const room = newRoom();
    const [provider, patient] = await Promise.all([0, 1].map(async () => (await browser.newContext({ baseURL: server.url })).newPage()));
    await signInProvider(provider, await providerLink(room, "Dr. Smith"));
    await checkInFrom(patient, room, "Alice");
    await openChat(provider, "Alice");
    const box = chatBox(provider, "Alice");
    const file = makeFile("imaging.bin", 200 * MB);
    await attach(patient, file);
    await expect(log(box)).toContainText("imaging.bin · 200 MB", { timeout: 30_000 });

    /** Downloads the file once more, sampling workerd's resident memory as it moves; returns the most it reached. */
    const downloadOnce = async () => {
      let peak = rss(workerd);
      const sampler = setInterval(() => (peak = Math.max(peak, rss(workerd))), 20);
      try {
        expect(await savedSha256(await startDownload(provider, log(box), "imaging.bin"))).toBe(file.sha256);
        await expect(log(patient)).toContainText("Saved by Dr. Smith");
      } finally {
        clearInterval(sampler);
      }
      return peak;
    };
    const before = rss(workerd);
    const first = await downloadOnce();
    const second = await downloadOnce();

    const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
    console.log(`workerd resident memory: ${mb(before)} before; at most ${mb(first)} while the first 200 MB moved (+${mb(first - before)}), ${mb(second)} while the second did (+${mb(second - first)} more)`);
    // The first transfer warms the runtime's own buffers up (a bare stream from a Durable Object
    // grows it as much); after that, moving another 200 MB adds next to nothing.
    expect(first - before).toBeLessThan(FIRST_BOUND);
    expect(second - first).toBeLessThan(LATER_BOUND);
  } finally {
    await server.stop();
  }
});
