import { expect, test } from "@playwright/test";
import { chatBox, checkIn, log, newRoom, openChat, openProvider, queue, send } from "./fixtures";

test("provider and patient chat both ways, each message shown once with the sender's name", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room, "Dr. Smith");
  const patient = await checkIn(browser, room, "Alice");
  await openChat(provider, "Alice");
  const box = chatBox(provider, "Alice");
  await send(provider, "Hello Alice, I will be with you soon.", box);
  await expect(log(patient)).toContainText("Dr. Smith");
  await expect(log(patient)).toContainText("Hello Alice, I will be with you soon.");
  await send(patient, "Thank you!\nSecond line.");
  await expect(log(box)).toContainText("Thank you!");
  await expect(log(box).getByText("Thank you!")).toHaveCount(1);
  await expect(log(box)).toContainText("Second line.");
});

test("a message from a patient whose chat is not in view raises their unread counter and the tab title", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  await send(alice, "Are you there?");
  await send(alice, "Hello?");
  const item = queue(provider).getByRole("listitem").filter({ hasText: "Alice" });
  await expect(item.getByText("2 unread messages")).toBeVisible();
  await expect(provider).toHaveTitle("(2) Patient queue");
  await openChat(provider, "Alice");
  await expect(item.getByText(/unread message/)).toHaveCount(0);
  await expect(provider).toHaveTitle("Patient queue");
  await expect(log(chatBox(provider, "Alice"))).toContainText("Hello?");
});

test("a minimized chat box opens again by itself when that patient writes", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  await openChat(provider, "Alice");
  const box = chatBox(provider, "Alice");
  await box.getByRole("button", { name: "Minimize chat" }).click();
  await expect(log(box)).toHaveCount(0);
  await send(alice, "I have a question");
  await expect(log(box)).toContainText("I have a question");
  await expect(box.getByRole("button", { name: "Minimize chat" })).toBeVisible();
  await expect(queue(provider).getByText(/unread message/)).toHaveCount(0);
});

test("a closed chat box does not open when that patient writes; their counter rises instead", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  await openChat(provider, "Alice");
  await chatBox(provider, "Alice").getByRole("button", { name: "Close chat" }).click();
  await expect(chatBox(provider, "Alice")).toHaveCount(0);
  await send(alice, "One more thing");
  await expect(queue(provider).getByText("1 unread message")).toBeVisible();
  await expect(chatBox(provider, "Alice")).toHaveCount(0);
});

test("while the box shows patient A and patient B writes, the box stays on A and B's counter rises", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  await checkIn(browser, room, "Alice");
  const bob = await checkIn(browser, room, "Bob");
  await openChat(provider, "Alice");
  await send(bob, "Hi from Bob");
  const bobItem = queue(provider).getByRole("listitem").filter({ hasText: "Bob" });
  await expect(bobItem.getByText("1 unread message")).toBeVisible();
  await expect(chatBox(provider, "Alice")).toBeVisible();
  await expect(chatBox(provider, "Bob")).toHaveCount(0);
  await expect(provider.getByRole("log")).not.toContainText("Hi from Bob");
});

test("a patient never sees another patient's messages or name", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice Private");
  const bob = await checkIn(browser, room, "Bob Private");
  await send(alice, "Alice's secret symptom");
  await openChat(provider, "Bob Private");
  await send(provider, "Reply for Bob only", chatBox(provider, "Bob Private"));
  await expect(log(bob)).toContainText("Reply for Bob only");
  await send(bob, "Bob's own message");
  await expect(log(chatBox(provider, "Bob Private"))).toContainText("Bob's own message");
  await expect(bob.locator("body")).not.toContainText("Alice");
  await expect(alice.locator("body")).not.toContainText("Bob");
  await expect(alice.locator("body")).not.toContainText("Reply for Bob only");
});

test("the provider's message to everyone waiting reaches each waiting patient", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  const bob = await checkIn(browser, room, "Bob");
  await provider.getByRole("textbox", { name: "Message everyone waiting" }).fill("Running about 10 minutes late");
  await provider.getByRole("button", { name: "Send to everyone waiting" }).click();
  await expect(provider.getByText("Sent to 2 waiting patients.")).toBeVisible();
  await expect(log(alice)).toContainText("Running about 10 minutes late");
  await expect(log(bob)).toContainText("Running about 10 minutes late");
});

test("when a patient closes their tab they leave the queue after the grace period, and an open chat says so", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const alice = await checkIn(browser, room, "Alice");
  await openChat(provider, "Alice");
  const box = chatBox(provider, "Alice");
  await send(alice, "I need to go");
  await expect(log(box)).toContainText("I need to go");
  await alice.context().close();
  await expect(queue(provider)).toHaveCount(0, { timeout: 10_000 });
  await expect(box.getByText("Alice has left the waiting room. You can no longer send messages to them.").first()).toBeVisible();
  await expect(box.getByRole("textbox", { name: "Message" })).toBeDisabled();
  await expect(box.getByRole("button", { name: "Send" })).toBeDisabled();
  await expect(log(box)).toContainText("I need to go");
});
