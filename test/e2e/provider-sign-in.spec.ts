import { expect, test } from "@playwright/test";
import { checkIn, newRoom, providerLink, queue, signInProvider } from "./fixtures";

test("the provider link signs in, leaves the address bar, and a reload keeps the provider signed in", async ({ page }) => {
  const room = newRoom();
  await page.goto(await providerLink(room, "Dr. Lee"));
  await expect(page.getByRole("heading", { name: "Patient queue" })).toBeVisible();
  await expect(page.getByText("Signed in as Dr. Lee")).toBeVisible();
  expect(new URL(page.url()).hash).toBe("");
  expect(page.url()).not.toContain("k=");
  await page.reload();
  await expect(page.getByRole("heading", { name: "Patient queue" })).toBeVisible();
  await expect(page.getByText("Signed in as Dr. Lee")).toBeVisible();
});

test("a forged provider link is refused with a clear message", async ({ page }) => {
  await page.goto("/provider#k=not-a-token");
  await expect(page.getByRole("alert")).toContainText("not valid");
  await expect(page.getByRole("heading", { name: "Patient queue" })).toHaveCount(0);
});

test("the queue shows each patient live, in check-in order, with time waiting and an actions menu", async ({ browser }) => {
  const room = newRoom();
  const context = await browser.newContext();
  const provider = await context.newPage();
  await provider.goto(await providerLink(room));
  await expect(provider.getByText("No one is waiting.")).toBeVisible();
  await checkIn(browser, room, "Dana One");
  await checkIn(browser, room, "Eli Two");
  const items = queue(provider).getByRole("listitem");
  await expect(items).toHaveText([/Dana One/, /Eli Two/]);
  await expect(items.first()).toContainText("Waiting less than a minute");
  await provider.getByRole("button", { name: "More actions for Eli Two" }).click();
  await expect(provider.getByRole("menuitem", { name: "Chat" })).toBeFocused();
  await provider.keyboard.press("Escape");
  await expect(provider.getByRole("menuitem", { name: "Chat" })).toHaveCount(0);
  await expect(provider.getByRole("button", { name: "More actions for Eli Two" })).toBeFocused();
});

test("while open, the dashboard renews its short-lived sign-in every refreshSeconds", async ({ page }) => {
  const room = newRoom();
  await page.clock.install();
  const renewals: string[] = [];
  page.on("request", (r) => void (new URL(r.url()).pathname === "/api/provider/refresh" && renewals.push(r.method())));
  const signedIn = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/provider/session");
  await page.goto(await providerLink(room, "Dr. Lee"));
  const { refreshSeconds } = (await (await signedIn).json()) as { refreshSeconds: number };
  expect(refreshSeconds).toBeGreaterThan(0);
  await expect(page.getByRole("heading", { name: "Patient queue" })).toBeVisible();

  // The page's clock also ran while it signed in: half a period is safely short of the first renewal.
  await page.clock.runFor((refreshSeconds * 1000) / 2);
  expect(renewals).toEqual([]);
  await page.clock.runFor((refreshSeconds * 1000) / 2);
  await expect.poll(() => renewals).toEqual(["POST"]);
  await page.clock.runFor(refreshSeconds * 1000);
  await expect.poll(() => renewals).toEqual(["POST", "POST"]);
  await expect(page.getByRole("heading", { name: "Patient queue" })).toBeVisible();
});

test("when the renewal is refused, the dashboard shows the signed-out page", async ({ page }) => {
  const room = newRoom();
  await page.clock.install();
  await page.goto(await providerLink(room, "Dr. Lee"));
  await expect(page.getByRole("heading", { name: "Patient queue" })).toBeVisible();
  // The short-lived cookie ran out (as it does when the page could not renew it in time).
  await page.context().clearCookies();
  await page.clock.runFor(10 * 60_000);
  await expect(page.getByRole("alert")).toHaveText("Your sign-in has ended. Open your private provider link again to sign in.");
  await expect(page.getByRole("heading", { name: "Patient queue" })).toHaveCount(0);
});

test("signing out on another page of the same sign-in closes this page's socket, and it shows the signed-out page", async ({ browser }) => {
  const room = newRoom();
  const context = await browser.newContext();
  const first = await context.newPage();
  await signInProvider(first, await providerLink(room, "Dr. Lee"));
  // A second tab, signed in by the same cookie.
  const second = await context.newPage();
  await signInProvider(second, "/provider");
  await second.getByRole("button", { name: "Sign out" }).click();
  await expect(second.getByRole("alert")).toContainText("You signed out.");
  await expect(first.getByRole("alert")).toHaveText("Your sign-in has ended. Open your private provider link again to sign in.");
  await expect(first.getByRole("heading", { name: "Patient queue" })).toHaveCount(0);
});

test("Sign out ends the sign-in on the server: its cookie, replayed in a new browser, cannot open the dashboard", async ({ browser }) => {
  const room = newRoom();
  const page = await (await browser.newContext()).newPage();
  await signInProvider(page, await providerLink(room, "Dr. Lee"));
  const cookies = await page.context().cookies();
  expect(cookies.map((c) => c.name)).toEqual(["qc_staff"]);

  // The same cookie works from elsewhere while signed in…
  const before = await (await browser.newContext()).newPage();
  await before.context().addCookies(cookies);
  await signInProvider(before, "/provider");
  await before.context().close();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("alert")).toContainText("You signed out.");

  // …and not once signed out.
  const replay = await (await browser.newContext()).newPage();
  await replay.context().addCookies(cookies);
  await replay.goto("/provider");
  await expect(replay.getByRole("alert")).toContainText("Open the private provider link");
  await expect(replay.getByRole("heading", { name: "Patient queue" })).toHaveCount(0);
});
