/**
 * npm run screenshots    build, then redraw the README's pictures in docs/
 *
 * Serves the built app with the test harness (workerd through Miniflare, on
 * a free port of 127.0.0.1, nothing kept), plays a short scene in headless
 * Chromium, and saves:
 *   docs/dashboard.png   the provider dashboard: three patients waiting, a chat
 *                        open with one of them, an unread counter on another
 *   docs/patient.png     that patient's waiting-room page, phone-sized, whole
 * Re-run it whenever the UI changes.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium, missingChromium } from "../test/harness/chromium.ts";
import { startServer } from "../test/harness/server.ts";
import { providerLink } from "./lib/provider-link.ts";
import { REPO_ROOT } from "./lib/secret.ts";

const OUT_DIR = join(REPO_ROOT, "docs");
const ROOM = "demo";
const PROVIDER = "Dr. Rivera";
const TIMEOUT_MS = 15_000;

process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";

const executablePath = findChromium();
if (!executablePath) {
  process.stderr.write(`${missingChromium("the screenshots")}\n`);
  process.exit(1);
}

async function checkIn(browser: Browser, baseUrl: string, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 760 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/r/${ROOM}`);
  await page.getByRole("textbox", { name: "Your name" }).fill(name);
  await page.getByRole("button", { name: "Check in" }).click();
  await page.getByRole("heading", { name: `You are checked in, ${name}` }).waitFor();
  return page;
}

async function send(scope: Page | ReturnType<Page["locator"]>, text: string): Promise<void> {
  await scope.getByRole("textbox", { name: "Message" }).fill(text);
  await scope.getByRole("button", { name: "Send" }).click();
}

/** Waits until the page shows `text` in its chat log. */
const showsInLog = (scope: Page | ReturnType<Page["locator"]>, text: string) =>
  scope.getByRole("log").getByText(text).waitFor();

const secret = randomBytes(32).toString("base64url");
// The worker's audit lines (ids only) are of no use here.
const server = await startServer({ port: 0, vars: { SESSION_SECRET: secret }, onLog: () => {} });
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  const providerContext = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  providerContext.setDefaultTimeout(TIMEOUT_MS);
  const provider = await providerContext.newPage();
  await provider.goto(await providerLink({ secret, room: ROOM, name: PROVIDER, baseUrl: server.url }));
  await provider.getByRole("heading", { name: "Patient queue" }).waitFor();

  const alice = await checkIn(browser, server.url, "Alice Moreno");
  const ben = await checkIn(browser, server.url, "Ben Okafor");
  await checkIn(browser, server.url, "Chloé Martin");
  await provider.getByRole("list", { name: "Patient queue" }).getByText("Chloé Martin").waitFor();

  const question = "Hi, I'm here for my 2:30 follow-up. Should I have my pharmacy details ready?";
  await send(alice, question);
  await provider.getByRole("button", { name: "More actions for Alice Moreno" }).click();
  await provider.getByRole("menuitem", { name: "Chat" }).click();
  const chat = provider.getByRole("region", { name: "Chat with Alice Moreno" });
  await showsInLog(chat, question);
  const answer = "Yes please, Alice. I'll be with you in about five minutes.";
  await send(chat, answer);
  await showsInLog(alice, answer);

  await send(ben, "Hello, is the clinic running on time today?");
  await provider.getByRole("list", { name: "Patient queue" }).getByText("1 unread message").waitFor();

  mkdirSync(OUT_DIR, { recursive: true });
  // The dashboard as it first appears; the patient's whole page, down to the "not stored" notice.
  const shots = [
    { page: provider, file: "dashboard.png", fullPage: false },
    { page: alice, file: "patient.png", fullPage: true },
  ];
  for (const { page, file, fullPage } of shots) {
    // No blinking caret in the picture. (A string: this runs in the page, and scripts/ has no DOM types.)
    await page.evaluate("document.activeElement?.blur()");
    await page.screenshot({ path: join(OUT_DIR, file), fullPage, animations: "disabled" });
    process.stdout.write(`wrote ${join("docs", file)}\n`);
  }
} finally {
  await browser.close();
  await server.stop();
}
