import { expect, test } from "@playwright/test";
import { checkIn, newRoom, openProvider, send } from "./fixtures";

test("notification settings are kept in the browser across reloads", async ({ browser }) => {
  const provider = await openProvider(browser, newRoom());
  const sound = provider.getByRole("checkbox", { name: "Play a sound for new messages" });
  await expect(sound).toBeChecked();
  await sound.uncheck();
  await provider.reload();
  await expect(provider.getByRole("checkbox", { name: "Play a sound for new messages" })).not.toBeChecked();
  await expect(provider.getByRole("checkbox", { name: "Show desktop notifications" })).not.toBeChecked();
});

test("desktop notifications turn on once the browser grants permission", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  await provider.context().grantPermissions(["notifications"]);
  const desktop = provider.getByRole("checkbox", { name: "Show desktop notifications" });
  await desktop.check();
  await expect(desktop).toBeChecked();
});

test("a new message from a patient out of view is announced to screen readers", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  await send(alice, "Hello");
  await expect(provider.locator("[aria-live=polite]")).toHaveText("New message from Alice.");
});
