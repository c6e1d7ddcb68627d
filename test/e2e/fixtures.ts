import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, type Browser, type Locator, type Page } from "@playwright/test";
import { signProvider } from "../../worker/tokens";

export const SECRET = "e2e-secret-not-for-production";

/** A fresh room per test, so tests never see each other. */
export const newRoom = () => `e2e-${Math.random().toString(36).slice(2, 10)}`;

export async function providerLink(room: string, name = "Dr. Smith"): Promise<string> {
  return `/provider#k=${await signProvider(SECRET, room, name, 3600)}`;
}

/** Opens a provider link in `page` and waits until the dashboard is live. */
export async function signInProvider(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Patient queue" })).toBeVisible();
  await expect(page.getByText(/Connecting|Reconnecting/)).toHaveCount(0);
}

/** A provider signed in to the dashboard, in a browser context of their own. */
export async function openProvider(browser: Browser, room: string, name = "Dr. Smith", timezoneId?: string): Promise<Page> {
  const context = await browser.newContext(timezoneId ? { timezoneId } : {});
  const page = await context.newPage();
  await signInProvider(page, await providerLink(room, name));
  return page;
}

/** Checks in as `name` from `page` and waits until the patient is waiting, connected. */
export async function checkInFrom(page: Page, room: string, name: string): Promise<void> {
  await page.goto(`/r/${room}`);
  await page.getByRole("textbox", { name: "Your name" }).fill(name);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByRole("heading", { name: `You are checked in, ${name}` })).toBeVisible();
  await expect(page.getByText(/Connecting|Reconnecting/)).toHaveCount(0);
}

/** A patient who has checked in, in a browser context of their own. */
export async function checkIn(browser: Browser, room: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await checkInFrom(page, room, name);
  return page;
}

export async function send(page: Page, text: string, scope: Page | ReturnType<Page["locator"]> = page): Promise<void> {
  await scope.getByRole("textbox", { name: "Message" }).fill(text);
  await scope.getByRole("button", { name: "Send" }).click();
}

export const queue = (provider: Page) => provider.getByRole("list", { name: "Patient queue" });

export async function openChat(provider: Page, patient: string): Promise<void> {
  await provider.getByRole("button", { name: `More actions for ${patient}` }).click();
  await provider.getByRole("menuitem", { name: "Chat" }).click();
}

/** Clicks "Download chat", consents, and returns the saved file's text. */
export async function downloadChat(provider: Page, patient: string): Promise<{ filename: string; text: string }> {
  const download = provider.waitForEvent("download");
  await chatBox(provider, patient).getByRole("button", { name: "Download chat" }).click();
  const consent = provider.getByRole("dialog", { name: "Download this chat?" });
  await expect(consent).toContainText("Downloading this chat implies permission from all participants.");
  await consent.getByRole("button", { name: "Download" }).click();
  const file = await download;
  const chunks: Buffer[] = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
  return { filename: file.suggestedFilename(), text: Buffer.concat(chunks).toString("utf8") };
}

export const chatBox = (provider: Page, patient: string) => provider.getByRole("region", { name: `Chat with ${patient}` });
export const log = (page: Page | ReturnType<Page["locator"]>) => page.getByRole("log");

/** A string that appears nowhere unless this test put it there. */
export const newCanary = () => `canary${Math.random().toString(36).slice(2, 12)}`;

/**
 * The provider signs in on `provider` and the patient checks in on `patient`,
 * and they exchange one message each, both carrying `canary`. Returns once
 * both messages show on both sides, so a later "the canary is stored
 * nowhere" check cannot pass for want of traffic.
 */
export async function chatWithCanaryOn(provider: Page, patient: Page, room: string, canary: string, patientName = `Pat ${canary}`) {
  await signInProvider(provider, await providerLink(room));
  await checkInFrom(patient, room, patientName);
  await openChat(provider, patientName);
  const box = chatBox(provider, patientName);
  const texts = [`My symptom note ${canary}`, `Provider reply ${canary}`];
  await send(patient, texts[0]);
  await expect(log(box)).toContainText(texts[0]);
  await send(provider, texts[1], box);
  for (const text of texts) {
    await expect(log(box)).toContainText(text);
    await expect(log(patient)).toContainText(text);
  }
  return { provider, patient, patientName, box };
}

/** `chatWithCanaryOn`, each side in a browser context of its own; the patient's name carries the canary too. */
export async function chatWithCanary(browser: Browser, room: string, canary: string) {
  const [provider, patient] = await Promise.all([0, 1].map(async () => (await browser.newContext()).newPage()));
  return chatWithCanaryOn(provider, patient, room, canary);
}

/** After a download (so no warning): the provider closes the chat box, erasing it, and the patient leaves. */
export async function closeAndLeave({ box, patient }: { box: Locator; patient: Page }): Promise<void> {
  await box.getByRole("button", { name: "Close chat" }).click();
  await expect(box).toHaveCount(0);
  await patient.getByRole("button", { name: "Leave waiting room" }).click();
  await expect(patient.getByText("You left the waiting room.")).toBeVisible();
}

/** Every file below `dir`, or none if it does not exist. */
export const filesUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)) : [];

/**
 * Whether the file holds `text` as UTF-8 or as UTF-16 (as SQLite, LevelDB or V8 may keep it).
 * A file a running server removed since it was listed (SQLite's -shm and -wal) holds nothing.
 */
export const fileHolds = (file: string, text: string): boolean => {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
  return bytes.includes(Buffer.from(text, "utf8")) || bytes.includes(Buffer.from(text, "utf16le"));
};
