import { expect, test } from "@playwright/test";
import { checkIn, newRoom, providerLink, queue } from "./fixtures";

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
