import { expect, test, type Browser, type Page } from "@playwright/test";
import { chatBox, checkIn, log, newRoom, openChat, openStaff, send } from "./fixtures";

// Three or four staff pages and patients per test: room for a busy machine.

/** Dr. Smith and Dr. Rivera both have Alice's chat open, and Alice has written. */
async function sharedChat(browser: Browser, text: string) {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  const alice = await checkIn(browser, room, "Alice");
  await openChat(smith, "Alice");
  await openChat(rivera, "Alice");
  await expect(chatBox(smith, "Alice")).toContainText("Dr. Rivera also has this chat open.");
  await send(alice, text);
  for (const page of [smith, rivera]) await expect(log(chatBox(page, "Alice"))).toContainText(text);
  return { room, smith, rivera, alice };
}

const COLLEAGUE_WARNING = "Dr. Rivera has this chat open too. It stays open for them;";

/** Alice's chat is still whole for Dr. Rivera and for Alice, and nobody told Alice it was cleared. */
async function expectKeptForOthers(rivera: Page, alice: Page, text: string): Promise<void> {
  await expect(log(chatBox(rivera, "Alice"))).toContainText(text);
  await expect(log(alice)).toContainText(text);
  await expect(log(alice)).not.toContainText("cleared this chat");
}

/** Opens Alice's chat again on `page`: what it erased stays erased there. */
async function expectErasedOn(page: Page, text: string): Promise<void> {
  await openChat(page, "Alice");
  await expect(log(chatBox(page, "Alice"))).toBeVisible();
  await expect(log(chatBox(page, "Alice"))).not.toContainText(text);
}

test("closing a chat a colleague has open erases it from your page only, after a confirmation that names them", async ({ browser }) => {
  const { smith, rivera, alice } = await sharedChat(browser, "My private question");

  await chatBox(smith, "Alice").getByRole("button", { name: "Close chat" }).click();
  const warning = smith.getByRole("dialog", { name: "Close the chat with Alice?" });
  await expect(warning).toContainText(`${COLLEAGUE_WARNING} closing the chat erases it from your page only.`);
  await warning.getByRole("button", { name: "Cancel" }).click();
  await expect(log(chatBox(smith, "Alice"))).toContainText("My private question");

  await chatBox(smith, "Alice").getByRole("button", { name: "Close chat" }).click();
  await warning.getByRole("button", { name: "Close chat" }).click();
  await expect(chatBox(smith, "Alice")).toHaveCount(0);
  await expectKeptForOthers(rivera, alice, "My private question");
  await expectErasedOn(smith, "My private question");
  await send(alice, "Still there?");
  for (const page of [smith, rivera]) await expect(log(chatBox(page, "Alice"))).toContainText("Still there?");
});

test("the last page that has a shared chat open erases it for everyone when it closes", async ({ browser }) => {
  const { smith, rivera, alice } = await sharedChat(browser, "My private question");
  await chatBox(smith, "Alice").getByRole("button", { name: "Close chat" }).click();
  await smith.getByRole("dialog", { name: "Close the chat with Alice?" }).getByRole("button", { name: "Close chat" }).click();
  await expectKeptForOthers(rivera, alice, "My private question");

  // Nobody else has it open now: the usual warning, and the usual erase for everyone.
  await chatBox(rivera, "Alice").getByRole("button", { name: "Close chat" }).click();
  await rivera.getByRole("dialog", { name: "Erase the chat with Alice?" }).getByRole("button", { name: "Erase chat" }).click();
  await expect(log(alice)).toContainText("The provider cleared this chat.");
  await expect(log(alice)).not.toContainText("My private question");
  await expectErasedOn(rivera, "My private question");
  await expectErasedOn(smith, "My private question");
});

test("viewing another patient's chat while a colleague has this one open erases it from your page only", async ({ browser }) => {
  const { room, smith, rivera, alice } = await sharedChat(browser, "About my results");
  await checkIn(browser, room, "Bob");

  await openChat(smith, "Bob");
  const warning = smith.getByRole("dialog", { name: "Close the chat with Alice?" });
  await expect(warning).toContainText(`${COLLEAGUE_WARNING} opening another chat erases it from your page only.`);
  await warning.getByRole("button", { name: "Close chat" }).click();
  await expect(chatBox(smith, "Bob")).toBeVisible();
  await expectKeptForOthers(rivera, alice, "About my results");
  await expectErasedOn(smith, "About my results");
});

test("starting a session while a colleague has the chat in view erases it from your page only", async ({ browser }) => {
  const { room, smith, rivera, alice } = await sharedChat(browser, "Waiting for my turn");
  const bob = await checkIn(browser, room, "Bob");

  await smith.getByRole("button", { name: "More actions for Bob" }).click();
  await smith.getByRole("menuitem", { name: "Start text-only session" }).click();
  const warning = smith.getByRole("dialog", { name: "Close the chat with Alice?" });
  await expect(warning).toContainText(`${COLLEAGUE_WARNING} starting another session erases it from your page only.`);
  await warning.getByRole("button", { name: "Close chat" }).click();
  await expect(bob.getByRole("heading", { name: "Text-only session with your provider" })).toBeVisible();
  await expectKeptForOthers(rivera, alice, "Waiting for my turn");
  await expectErasedOn(smith, "Waiting for my turn");
});

test("starting a session ends this page's own call, never a session a colleague is running", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  const alice = await checkIn(browser, room, "Alice");
  const bob = await checkIn(browser, room, "Bob");
  const startSession = async (page: Page, patient: string) => {
    await page.getByRole("button", { name: `More actions for ${patient}` }).click();
    await page.getByRole("menuitem", { name: "Start text-only session" }).click();
  };

  await startSession(rivera, "Alice");
  await send(alice, "In my session with Dr. Rivera");
  await expect(log(chatBox(rivera, "Alice"))).toContainText("In my session with Dr. Rivera");
  await startSession(smith, "Bob");
  await expect(bob.getByRole("heading", { name: "Text-only session with your provider" })).toBeVisible();
  await send(bob, "In my session with Dr. Smith");
  await expect(log(chatBox(smith, "Bob"))).toContainText("In my session with Dr. Smith");

  await send(rivera, "Still here, Alice", chatBox(rivera, "Alice"));
  await expect(log(alice)).toContainText("Still here, Alice");
  await expect(alice.getByText("This session has ended.", { exact: false })).toHaveCount(0);
  await expect(log(alice)).toContainText("In my session with Dr. Rivera");
});

test("a reload while a colleague has the chat open keeps it for them and erases it from the reloaded page", async ({ browser }) => {
  const { smith, rivera, alice } = await sharedChat(browser, "Before the reload");
  smith.on("dialog", (d) => void d.accept());
  await smith.reload();
  await expect(smith.getByRole("heading", { name: "Patient queue" })).toBeVisible();
  await expectKeptForOthers(rivera, alice, "Before the reload");
  await expectErasedOn(smith, "Before the reload");
  await send(alice, "After the reload");
  for (const page of [smith, rivera]) await expect(log(chatBox(page, "Alice"))).toContainText("After the reload");
});
