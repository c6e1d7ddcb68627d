import { expect, type Browser, type Page } from "@playwright/test";
import { signProvider } from "../../worker/tokens";

export const SECRET = "e2e-secret-not-for-production";

/** A fresh room per test, so tests never see each other. */
export const newRoom = () => `e2e-${Math.random().toString(36).slice(2, 10)}`;

export async function providerLink(room: string, name = "Dr. Smith"): Promise<string> {
  return `/provider#k=${await signProvider(SECRET, room, name, 3600)}`;
}

/** A provider signed in to the dashboard, in a browser context of their own. */
export async function openProvider(browser: Browser, room: string, name = "Dr. Smith", timezoneId?: string): Promise<Page> {
  const context = await browser.newContext(timezoneId ? { timezoneId } : {});
  const page = await context.newPage();
  await page.goto(await providerLink(room, name));
  await expect(page.getByRole("heading", { name: "Patient queue" })).toBeVisible();
  await expect(page.getByText(/Connecting|Reconnecting/)).toHaveCount(0);
  return page;
}

/** A patient who has checked in, in a browser context of their own. */
export async function checkIn(browser: Browser, room: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/r/${room}`);
  await page.getByRole("textbox", { name: "Your name" }).fill(name);
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByRole("heading", { name: `You are checked in, ${name}` })).toBeVisible();
  await expect(page.getByText(/Connecting|Reconnecting/)).toHaveCount(0);
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
