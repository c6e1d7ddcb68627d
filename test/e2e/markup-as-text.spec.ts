import { expect, test, type Locator, type Page } from "@playwright/test";
import { chatBox, checkIn, log, newRoom, openChat, providerLink, queue, send, signInProvider } from "./fixtures";

declare global {
  interface Window {
    /** Set by any payload below that the page ever runs. */
    __xss?: unknown;
    /** What the stand-in Notification was asked to show. */
    __notifications?: { title: string; body?: string }[];
  }
}

// Each payload would set window.__xss (or open a dialog) if a page treated it
// as markup or as a link target. Names fit the 60-character limit.
const ALICE = `<img src=x onerror="window.__xss=1">`;
const BOB = `"><svg onload=window.__xss=1>`;
const PROVIDER = "Dr. <b onmouseover=window.__xss=1>Bold</b>";
const FROM_ALICE = ["<script>window.__xss=1</script>", "<img src=x onerror=window.__xss=1>", "javascript:window.__xss=1"];
const FROM_PROVIDER = [
  "[x](javascript:alert(1))",
  "data:text/html,<script>window.__xss=1</script>",
  `Read https://example.org/care?a=1&b=2 or http://example.net/x"><img src=x onerror=window.__xss=1>`,
];
/** The only text above that may become links: plain http(s) URLs, cut where markup starts. */
const LINKS = ["https://example.org/care?a=1&b=2", "http://example.net/x"];

/**
 * Stands in for the browser's Notification, granted, and reports the
 * dashboard as out of focus (when desktop notifications are shown), so
 * what a notification would display can be read back.
 */
function recordNotifications(): void {
  const shown: { title: string; body?: string }[] = [];
  window.__notifications = shown;
  class RecordedNotification {
    static permission = "granted";
    static requestPermission = async () => "granted";
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, body: options?.body });
    }
  }
  Object.defineProperty(window, "Notification", { value: RecordedNotification, configurable: true, writable: true });
  document.hasFocus = () => false;
}

function recordDialogs(pages: Page[]): string[] {
  const dialogs: string[] = [];
  for (const page of pages) page.on("dialog", (d) => (dialogs.push(d.message()), void d.dismiss()));
  return dialogs;
}

/** Tags and attributes that would only exist if some text was parsed as HTML. */
async function expectNoMarkup(page: Page, scopes: Locator[]): Promise<void> {
  for (const scope of scopes) await expect(scope.locator("script, img, svg, iframe, object, embed, b")).toHaveCount(0);
  const handlers = await page.evaluate(() =>
    Array.from(document.querySelectorAll("*")).flatMap((el) => Array.from(el.attributes).filter((a) => a.name.startsWith("on")).map((a) => `${el.tagName} ${a.name}`)),
  );
  expect(handlers).toEqual([]);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
}

async function expectLiteral(scope: Locator, texts: string[]): Promise<void> {
  for (const text of texts) await expect(scope.getByText(text, { exact: true })).toHaveCount(1);
}

/** Exactly the http(s) URLs are links, and each opens apart from this page. */
async function expectOnlyWebLinks(scope: Locator): Promise<void> {
  const links = await scope.getByRole("link").evaluateAll((as) =>
    as.map((a) => ({ href: a.getAttribute("href"), rel: (a.getAttribute("rel") ?? "").split(/\s+/), target: a.getAttribute("target") })),
  );
  expect(links).toEqual(LINKS.map((href) => ({ href, rel: expect.arrayContaining(["noopener", "noreferrer"]), target: "_blank" })));
}

test("names and messages that look like HTML, scripts or links show as plain text and run nothing, on both sides", async ({ browser }) => {
  const room = newRoom();
  const context = await browser.newContext();
  await context.addInitScript(recordNotifications);
  const provider = await context.newPage();
  const dialogs = recordDialogs([provider]);
  await signInProvider(provider, await providerLink(room, PROVIDER));
  await expect(provider.getByText(`Signed in as ${PROVIDER}`)).toBeVisible();
  await provider.getByRole("checkbox", { name: "Show desktop notifications" }).check();

  const alice = await checkIn(browser, room, ALICE);
  const bob = await checkIn(browser, room, BOB);
  dialogs.push(...recordDialogs([alice, bob]));
  await expect(queue(provider).getByRole("listitem")).toHaveCount(2);
  await expect(queue(provider).getByRole("listitem").first()).toContainText(ALICE);
  await expect(queue(provider).getByRole("listitem").last()).toContainText(BOB);

  // Out of view, each message raises the counter, the tab title and a notification.
  for (const text of FROM_ALICE) await send(alice, text);
  await expect(queue(provider).getByRole("listitem").first().getByText("3 unread messages")).toBeVisible();
  await send(bob, "Hello from Bob");
  await expect(provider).toHaveTitle("(4) Patient queue");

  await openChat(provider, ALICE);
  const box = chatBox(provider, ALICE);
  for (const text of FROM_PROVIDER) await send(provider, text, box);

  const all = [...FROM_ALICE, ...FROM_PROVIDER];
  await expectLiteral(log(box), all);
  await expectLiteral(log(alice), all);
  await expect(log(box)).toContainText(ALICE);
  await expect(log(alice)).toContainText(PROVIDER);
  await expectOnlyWebLinks(log(box));
  await expectOnlyWebLinks(log(alice));

  // The erase warning names the patient too.
  await box.getByRole("button", { name: "Close chat" }).click();
  const warning = provider.getByRole("dialog", { name: `Erase the chat with ${ALICE}?` });
  await expect(warning).toBeVisible();
  await expectNoMarkup(provider, [queue(provider), log(box), warning]);
  await warning.getByRole("button", { name: "Cancel" }).click();
  await expectNoMarkup(alice, [log(alice)]);
  await expectNoMarkup(bob, [log(bob)]);
  expect(dialogs).toEqual([]);
  await expect(alice).toHaveTitle("Waiting room");
  await expect(provider).toHaveTitle("(1) Patient queue");
  // A notification names the sender, as text isolated from the words around it, and never shows the message.
  expect(await provider.evaluate(() => window.__notifications)).toEqual([
    ...FROM_ALICE.map(() => ({ title: `New message from \u2068${ALICE}\u2069`, body: "Open the dashboard to read it." })),
    { title: `New message from \u2068${BOB}\u2069`, body: "Open the dashboard to read it." },
  ]);
});

test("pages forbid inline script, so markup that slipped into a page still could not run", async ({ request }) => {
  for (const path of [`/r/${newRoom()}`, "/provider", "/join"]) {
    const directives = ((await request.get(path)).headers()["content-security-policy"] ?? "").split(";").map((d) => d.trim());
    expect(directives, path).toContain("script-src 'self'");
    expect(directives, path).toContain("object-src 'none'");
  }
});
