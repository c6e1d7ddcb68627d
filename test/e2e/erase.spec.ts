import { expect, test } from "@playwright/test";
import { chatBox, checkIn, downloadChat, log, newRoom, openChat, openProvider, queue, send } from "./fixtures";

test("closing the chat box erases the conversation for both sides, after a warning that can be cancelled", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  await openChat(provider, "Alice");
  const box = chatBox(provider, "Alice");
  await send(alice, "My private question");
  await expect(log(box)).toContainText("My private question");

  await box.getByRole("button", { name: "Close chat" }).click();
  const warning = provider.getByRole("dialog", { name: "Erase the chat with Alice?" });
  await expect(warning).toBeVisible();
  await warning.getByRole("button", { name: "Cancel" }).click();
  await expect(log(box)).toContainText("My private question");

  await box.getByRole("button", { name: "Close chat" }).click();
  await warning.getByRole("button", { name: "Erase chat" }).click();
  await expect(box).toHaveCount(0);
  await expect(log(alice)).not.toContainText("My private question");
  await expect(log(alice)).toContainText("The provider cleared this chat.");

  await openChat(provider, "Alice");
  await expect(log(chatBox(provider, "Alice"))).not.toContainText("My private question");
});

test("viewing another patient's chat erases the one in view", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  const bob = await checkIn(browser, room, "Bob");
  await openChat(provider, "Alice");
  await send(alice, "Alice was here");
  await expect(log(chatBox(provider, "Alice"))).toContainText("Alice was here");
  await send(bob, "Bob waiting");
  await expect(queue(provider).getByText("1 unread message")).toBeVisible();

  await openChat(provider, "Bob");
  const warning = provider.getByRole("dialog", { name: "Erase the chat with Alice?" });
  await warning.getByRole("button", { name: "Erase chat" }).click();
  await expect(log(chatBox(provider, "Bob"))).toContainText("Bob waiting");
  await expect(log(alice)).not.toContainText("Alice was here");

  await openChat(provider, "Alice");
  await provider.getByRole("dialog", { name: "Erase the chat with Bob?" }).getByRole("button", { name: "Erase chat" }).click();
  await expect(log(chatBox(provider, "Alice"))).toBeVisible();
  await expect(log(chatBox(provider, "Alice"))).not.toContainText("Alice was here");
  await expect(log(bob)).not.toContainText("Bob waiting");
});

test("a conversation already downloaded is erased without a warning", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  await openChat(provider, "Alice");
  const box = chatBox(provider, "Alice");
  await send(alice, "Please keep a record");
  await expect(log(box)).toContainText("Please keep a record");
  expect((await downloadChat(provider, "Alice")).filename).toBe("chat-history.txt");
  await box.getByRole("button", { name: "Close chat" }).click();
  await expect(provider.getByRole("dialog")).toHaveCount(0);
  await expect(box).toHaveCount(0);
});

test("reloading the dashboard erases the conversations, in the page and in the room", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  await openChat(provider, "Alice");
  await send(alice, "Before the reload");
  await expect(log(chatBox(provider, "Alice"))).toContainText("Before the reload");
  provider.on("dialog", (d) => void d.accept());
  await provider.reload();
  await expect(queue(provider)).toContainText("Alice");
  await openChat(provider, "Alice");
  await expect(log(chatBox(provider, "Alice"))).not.toContainText("Before the reload");
  await expect(log(alice)).not.toContainText("Before the reload");
  await send(alice, "After the reload");
  await expect(log(chatBox(provider, "Alice"))).toContainText("After the reload");
});
