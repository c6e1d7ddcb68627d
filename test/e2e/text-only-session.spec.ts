import { writeFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { chatBox, checkIn, downloadChat, log, newRoom, openProvider, queue, send } from "./fixtures";

const ISO = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-05:00`;

async function startSession(provider: Page, patient: string): Promise<void> {
  await provider.getByRole("button", { name: `More actions for ${patient}` }).click();
  await provider.getByRole("menuitem", { name: "Start text-only session" }).click();
}

test("a whole text-only session from the queue: chat, consented download line by line, and the patient told", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room, "Dr. Smith", "America/New_York");
  const alice = await checkIn(browser, room, "Alice");
  await send(alice, "Hello from the waiting room");

  await startSession(provider, "Alice");
  await expect(alice.getByRole("heading", { name: "Text-only session with your provider" })).toBeVisible();
  const box = chatBox(provider, "Alice");
  await expect(box.getByText("Text-only session", { exact: true })).toBeVisible();
  await expect(log(box)).toContainText("Hello from the waiting room");

  await send(provider, "Hi Alice, how can I help?", box);
  await expect(log(alice)).toContainText("Hi Alice, how can I help?");
  await send(alice, "Line one\nLine two");
  await expect(log(box)).toContainText("Line two");

  const { filename, text } = await downloadChat(provider, "Alice");
  expect(filename).toBe("chat-history.txt");
  // Kept beside the test's other output (test-results/, git-ignored) for review.
  writeFileSync(test.info().outputPath("chat-history.txt"), text);
  await expect(log(alice)).toContainText("The provider saved a copy of this chat.");

  const lines = text.split("\n");
  expect(lines.slice(0, 6)).toEqual(["queue-chat chat history", `Room: ${room}`, expect.stringMatching(/^Session: [\w-]{22}$/), "Participants:", "  Host: Dr. Smith", "  Patient: Alice"]);
  expect(lines[6]).toMatch(new RegExp(`^Started: ${ISO}$`));
  expect(lines[7]).toBe("Consent: Downloading this chat implies permission from all participants.");
  const body = lines.slice(9, lines.indexOf("", 9));
  expect(body).toEqual([
    expect.stringMatching(new RegExp(`^${ISO} \\* Alice checked in$`)),
    expect.stringMatching(new RegExp(`^${ISO} \\[Patient\\] Alice: Hello from the waiting room$`)),
    expect.stringMatching(new RegExp(`^${ISO} \\* Text-only session started$`)),
    expect.stringMatching(new RegExp(`^${ISO} \\[Host\\] Dr\\. Smith: Hi Alice, how can I help\\?$`)),
    expect.stringMatching(new RegExp(`^${ISO} \\[Patient\\] Alice: Line one$`)),
    "    Line two",
  ]);
  expect(lines.at(-2)).toBe("Messages: 3");
  expect(lines.at(-1)).toBe("");
});

test("ending the session ends it for everyone: the patient sees it ended and can no longer send", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  await startSession(provider, "Alice");
  await expect(alice.getByRole("heading", { name: "Text-only session with your provider" })).toBeVisible();
  await send(alice, "Thanks, bye");
  const box = chatBox(provider, "Alice");
  await expect(log(box)).toContainText("Thanks, bye");

  await box.getByRole("button", { name: "End session" }).click();
  await provider.getByRole("dialog", { name: "Erase the chat with Alice?" }).getByRole("button", { name: "Erase chat" }).click();

  await expect(alice.getByText("This session has ended.", { exact: false }).first()).toBeVisible();
  await expect(alice.getByRole("textbox", { name: "Message" })).toBeDisabled();
  await expect(alice.locator("body")).not.toContainText("Thanks, bye");
  await expect(box.getByText("This session has ended.", { exact: false }).first()).toBeVisible();
  await expect(box.getByRole("textbox", { name: "Message" })).toBeDisabled();
  await expect(log(box)).not.toContainText("Thanks, bye");
  await expect(queue(provider)).toHaveCount(0);
});

test("starting another session erases the previous conversation, after a warning", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  const bob = await checkIn(browser, room, "Bob");
  await startSession(provider, "Alice");
  await send(alice, "Alice in session");
  await expect(log(chatBox(provider, "Alice"))).toContainText("Alice in session");

  await startSession(provider, "Bob");
  const warning = provider.getByRole("dialog", { name: "Erase the chat with Alice?" });
  await expect(warning).toContainText("Starting another session");
  await warning.getByRole("button", { name: "Cancel" }).click();
  await expect(log(chatBox(provider, "Alice"))).toContainText("Alice in session");

  await startSession(provider, "Bob");
  await warning.getByRole("button", { name: "Erase chat" }).click();
  await expect(bob.getByRole("heading", { name: "Text-only session with your provider" })).toBeVisible();
  await expect(chatBox(provider, "Bob")).toBeVisible();
  await expect(alice.getByText("This session has ended.", { exact: false }).first()).toBeVisible();
  await expect(provider.locator("body")).not.toContainText("Alice in session");
});

test("a message the patient is typing survives the provider starting the session, focus included", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  const box = alice.getByRole("textbox", { name: "Message" });
  await box.fill("I was just about to ask");
  await box.focus();

  await startSession(provider, "Alice");

  await expect(alice.getByRole("heading", { name: "Text-only session with your provider" })).toBeVisible();
  await expect(box).toHaveValue("I was just about to ask");
  await expect(box).toBeFocused();
  await alice.keyboard.press("Enter");
  await expect(log(chatBox(provider, "Alice"))).toContainText("I was just about to ask");
});
