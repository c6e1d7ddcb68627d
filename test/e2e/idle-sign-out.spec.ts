import { expect, test } from "@playwright/test";
import { checkIn, log, newRoom, openChat, providerLink, send } from "./fixtures";

test("an idle provider is warned a minute ahead, can stay, and is then signed out with the page erased", async ({ browser }) => {
  const room = newRoom();
  const provider = await (await browser.newContext()).newPage();
  await provider.clock.install();
  await provider.goto(await providerLink(room));
  await expect(provider.getByRole("heading", { name: "Patient queue" })).toBeVisible();
  const ana = await checkIn(browser, room, "Ana Idle");
  await send(ana, "A private question");
  await openChat(provider, "Ana Idle");
  await expect(log(provider)).toContainText("A private question");
  const warning = provider.getByRole("alertdialog", { name: "Still there?" });

  await provider.clock.fastForward("13:30");
  await expect(provider.getByRole("heading", { name: "Patient queue" })).toBeVisible();
  await expect(warning).toHaveCount(0);
  await provider.clock.fastForward("00:45");
  await expect(warning).toBeVisible();
  await expect(warning).toContainText("signed out in");
  await expect(warning.getByRole("button", { name: "Stay signed in" })).toBeFocused();
  await warning.getByRole("button", { name: "Stay signed in" }).click();
  await expect(warning).toHaveCount(0);

  await provider.clock.fastForward("14:30");
  await expect(provider.getByRole("heading", { name: "Patient queue" })).toBeVisible();
  await provider.clock.fastForward("00:31");
  await expect(provider.getByRole("alert")).toContainText("signed out after 15 minutes without activity");
  await expect(provider.getByText("A private question")).toHaveCount(0);
  await expect(provider.getByRole("heading", { name: "Patient queue" })).toHaveCount(0);
  // The session cookie is gone too: a reload does not sign back in.
  await provider.reload();
  await expect(provider.getByRole("alert")).toContainText("Open the private provider link");
});
