import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, type Browser, type BrowserContextOptions, type Locator, type Page } from "@playwright/test";
import { signStaffLink, type StaffRole } from "../../worker/tokens";

export const SECRET = "e2e-secret-not-for-production";

/** A fresh room per test, so tests never see each other. */
export const newRoom = () => `e2e-${Math.random().toString(36).slice(2, 10)}`;

export async function providerLink(room: string, name = "Dr. Smith", role: StaffRole = "host"): Promise<string> {
  return `/provider#k=${await signStaffLink(SECRET, { room, name, role }, 3600)}`;
}

/** Opens a provider link in `page` and waits until the dashboard is live. */
export async function signInProvider(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Patient queue" })).toBeVisible();
  await expect(page.getByText(/Connecting|Reconnecting/)).toHaveCount(0);
}

/** A provider signed in to the dashboard, in a browser context of their own. */
export async function openProvider(browser: Browser, room: string, name = "Dr. Smith", timezoneId?: string): Promise<Page> {
  return openStaff(browser, room, name, "host", timezoneId ? { timezoneId } : {});
}

/** A staff member (a host, or front-desk `staff`) signed in to the dashboard, in a browser context of their own. */
export async function openStaff(browser: Browser, room: string, name: string, role: StaffRole, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signInProvider(page, await providerLink(room, name, role));
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
  await scope.getByRole("textbox", { name: "Message", exact: true }).fill(text);
  await scope.getByRole("button", { name: "Send", exact: true }).click();
}

export const queue = (provider: Page) => provider.getByRole("list", { name: "Patient queue" });

export async function openChat(provider: Page, patient: string): Promise<void> {
  await provider.getByRole("button", { name: `More actions for ${patient}` }).click();
  await provider.getByRole("menuitem", { name: "Chat" }).click();
}

/** Clicks "Download chat" in the box with `name` (a patient, a colleague or a group), consents, and returns the saved file's text. */
export async function downloadChat(provider: Page, name: string): Promise<{ filename: string; text: string }> {
  const download = provider.waitForEvent("download");
  await chatBox(provider, name).getByRole("button", { name: "Download chat" }).click();
  const consent = provider.getByRole("dialog", { name: "Download this chat?" });
  await expect(consent).toContainText("Downloading this chat implies permission from all participants.");
  await consent.getByRole("button", { name: "Download" }).click();
  const file = await download;
  const chunks: Buffer[] = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
  return { filename: file.suggestedFilename(), text: Buffer.concat(chunks).toString("utf8") };
}

/** The chat box with a patient, a colleague or a staff group. */
export const chatBox = (provider: Page, name: string) => provider.getByRole("region", { name: `Chat with ${name}`, exact: true });
export const staffList = (page: Page) => page.getByRole("list", { name: "Staff" });
/** The Staff list's line for a colleague or a group. */
export const staffItem = (page: Page, name: string) => staffList(page).getByRole("listitem").filter({ has: page.getByRole("button", { name: `Chat with ${name}`, exact: true }) });

/** Opens the staff chat with a colleague or a group from the Staff list, and returns its chat box. */
export async function openStaffChat(page: Page, name: string): Promise<Locator> {
  await page.getByRole("button", { name: `Chat with ${name}`, exact: true }).click();
  await expect(chatBox(page, name)).toBeVisible();
  return chatBox(page, name);
}

/** Picks `item` in the "Chat options for <name>" menu of the Staff list. */
export async function chatOption(page: Page, name: string, item: string): Promise<void> {
  await page.getByRole("button", { name: `Chat options for ${name}`, exact: true }).click();
  await page.getByRole("menuitem", { name: item, exact: true }).click();
}

/** A host creates a staff group with these colleagues; its chat box opens on the host's page. */
export async function createGroup(host: Page, title: string, members: string[]): Promise<Locator> {
  await host.getByRole("button", { name: "New group" }).click();
  const dialog = host.getByRole("dialog", { name: "New group" });
  await dialog.getByRole("textbox", { name: "Group name" }).fill(title);
  for (const name of members) await dialog.getByRole("checkbox", { name, exact: true }).check();
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(chatBox(host, title)).toBeVisible();
  return chatBox(host, title);
}

/** What screen readers hear from the dashboard's live region. */
export const announced = (page: Page) => page.locator("[aria-live=polite]");
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

declare global {
  interface Window {
    /** What `recordAlerts` recorded: chimes started, desktop notifications shown, words announced. */
    __alerts?: { chimes: number; notifications: string[]; announced: string[] };
  }
}

/**
 * Records what a page does to get attention, for `alertsOn(page)`: each
 * chime (two tones), each desktop notification (through a stand-in
 * Notification that is granted, with the page reported out of focus, when
 * notifications are shown) and each announcement of its live region. Run
 * with `context.addInitScript`.
 */
export function recordAlerts(): void {
  const alerts = { chimes: 0, notifications: [] as string[], announced: [] as string[] };
  window.__alerts = alerts;
  let said = "";
  new MutationObserver(() => {
    const now = document.querySelector("[aria-live=polite]")?.textContent ?? "";
    if (now && now !== said) alerts.announced.push(now);
    said = now;
  }).observe(document, { subtree: true, childList: true, characterData: true });
  const tone = AudioContext.prototype.createOscillator;
  let tones = 0;
  AudioContext.prototype.createOscillator = function (this: AudioContext) {
    if (tones++ % 2 === 0) alerts.chimes++;
    return tone.call(this);
  };
  class RecordedNotification {
    static permission = "granted";
    static requestPermission = async () => "granted";
    constructor(title: string) {
      alerts.notifications.push(title);
    }
  }
  Object.defineProperty(window, "Notification", { value: RecordedNotification, configurable: true, writable: true });
  document.hasFocus = () => false;
}

export const alertsOn = (page: Page) => page.evaluate(() => window.__alerts!);

/**
 * Hides or shows the page as switching tabs would. Headless Chromium keeps
 * every page visible, so this stands in for it: the page reads
 * `document.visibilityState` and hears `visibilitychange`, as it would.
 */
export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, "visibilityState", { value: hidden ? "hidden" : "visible", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

/** A host starts a text-only session with a waiting patient from the queue; the chat box shows it. */
export async function startTextOnlySession(provider: Page, patient: string): Promise<Locator> {
  await provider.getByRole("button", { name: `More actions for ${patient}` }).click();
  await provider.getByRole("menuitem", { name: "Start text-only session" }).click();
  const box = chatBox(provider, patient);
  await expect(box.getByText("Text-only session", { exact: true })).toBeVisible();
  return box;
}

/** Opens "Add participant" in the session with `patient`; the code as shown (`123 456 789`) and the invite link. The dialog stays open. */
export async function addParticipant(provider: Page, patient: string): Promise<{ shown: string; link: string; dialog: Locator }> {
  await chatBox(provider, patient).getByRole("button", { name: "Add participant" }).click();
  const dialog = provider.getByRole("dialog", { name: "Add participant" });
  const code = dialog.getByText(/^\d{3} \d{3} \d{3}$/);
  await expect(code).toBeVisible();
  return { shown: (await code.textContent())!, link: await dialog.getByRole("textbox", { name: "Invite link" }).inputValue(), dialog };
}

/** A client address of its own: the join page's wrong tries are limited per address. */
export const newAddress = () => `198.51.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 254) + 1}`;
/** An address for a test that uses up its wrong tries: from a range no other test joins from. */
export const guesserAddress = () => `203.0.113.${Math.floor(Math.random() * 254) + 1}`;

/** Someone types the access code and their name on the join page, in a browser context of their own, and lands in the session. */
export async function joinByCode(browser: Browser, code: string, name: string, address = newAddress()): Promise<Page> {
  const page = await (await browser.newContext({ extraHTTPHeaders: { "CF-Connecting-IP": address } })).newPage();
  return joinOn(page, code, name);
}

/** The same on a page of one's own (one whose clock a test controls, say). */
export async function joinOn(page: Page, code: string, name: string): Promise<Page> {
  await page.goto("/join");
  await page.getByRole("textbox", { name: "Access code" }).fill(code);
  await page.getByRole("textbox", { name: "Your name" }).fill(name);
  await page.getByRole("button", { name: "Join", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Text-only session with your provider" })).toBeVisible();
  await expect(page.getByText(/Connecting|Reconnecting/)).toHaveCount(0);
  return page;
}

/** The "Participants" list of a page or chat box, one line per person. */
export const participants = (scope: Page | Locator) => scope.getByRole("list", { name: "Participants" });
