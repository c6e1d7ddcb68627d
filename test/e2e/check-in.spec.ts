import { expect, test } from "@playwright/test";
import { checkIn, log, newRoom, openProvider, queue, send } from "./fixtures";

test("a patient checks in with their name and sees they are waiting, a chat and the not-stored notice", async ({ browser }) => {
  const room = newRoom();
  const patient = await checkIn(browser, room, "Alice Moreau");
  await expect(patient.getByText("You are waiting.", { exact: false })).toBeVisible();
  await expect(log(patient)).toBeVisible();
  await expect(patient.getByRole("textbox", { name: "Message" })).toBeEnabled();
  await expect(patient.getByText("Messages are not stored. They disappear when this session ends.").first()).toBeVisible();
});

test("a name that is too short, too long or invisible gets a clear error and no check-in", async ({ page }) => {
  await page.goto(`/r/${newRoom()}`);
  const name = page.getByRole("textbox", { name: "Your name" });
  await name.fill("  A ");
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Please enter at least 2 characters.");
  await name.fill("x".repeat(61));
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Please use at most 60 characters.");
  await name.fill("\u200B\u200B\u200B");
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Please remove invisible or text-direction characters from your name.");
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await name.fill("  Bo  ");
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByRole("heading", { name: "You are checked in, Bo" })).toBeVisible();
});

test("a patient who reloads keeps their place in the queue, but their conversation starts empty", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const first = await checkIn(browser, room, "Ann First");
  await checkIn(browser, room, "Ben Second");
  await expect(queue(provider).getByRole("listitem")).toHaveText([/Ann First/, /Ben Second/]);

  await send(first, "Before reload");
  await expect(log(first)).toContainText("Before reload");
  await first.reload();
  await expect(first.getByRole("heading", { name: "You are checked in, Ann First" })).toBeVisible();
  await expect(log(first)).not.toContainText("Before reload");
  await expect(queue(provider).getByRole("listitem")).toHaveText([/Ann First/, /Ben Second/]);
});

test("a patient can leave the waiting room, and the provider sees them go", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const patient = await checkIn(browser, room, "Cara Leaves");
  await expect(queue(provider)).toContainText("Cara Leaves");
  await patient.getByRole("button", { name: "Leave waiting room" }).click();
  await expect(patient.getByText("You left the waiting room.")).toBeVisible();
  await expect(provider.getByText("No one is waiting.")).toBeVisible();
});
