import { expect, test } from "@playwright/test";
import { chatBox, checkIn, checkInFrom, downloadChat, log, newRoom, openChat, openStaff, queue, send } from "./fixtures";

// Three or four staff pages and patients per test: room for a busy machine.

test("every staff page sees the same live queue; a patient's message reaches each page with their chat open and raises the counter on the others", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  const desk = await openStaff(browser, room, "Sam Desk", "staff");
  const alice = await checkIn(browser, room, "Alice");
  const bob = await checkIn(browser, room, "Bob");
  for (const page of [smith, rivera, desk]) await expect(queue(page).getByRole("listitem")).toHaveText([/Alice/, /Bob/]);

  await openChat(smith, "Alice");
  await openChat(desk, "Alice");
  await send(alice, "Is anyone there?");
  for (const page of [smith, desk]) {
    await expect(log(chatBox(page, "Alice"))).toContainText("Is anyone there?");
    await expect(queue(page).getByText(/unread message/)).toHaveCount(0);
  }
  const aliceOnRivera = queue(rivera).getByRole("listitem").filter({ hasText: "Alice" });
  await expect(aliceOnRivera.getByText("1 unread message")).toBeVisible();
  await expect(rivera).toHaveTitle("(1) Patient queue");

  await bob.getByRole("button", { name: "Leave waiting room" }).click();
  for (const page of [smith, rivera, desk]) await expect(queue(page).getByRole("listitem")).toHaveText([/Alice/]);
});

test("the patient sees which staff member wrote each message, and never the name of one who did not write to them", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host", { timezoneId: "America/New_York" });
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  const desk = await openStaff(browser, room, "Sam Desk", "staff");
  const alice = await (await browser.newContext()).newPage();
  const frames: string[] = [];
  alice.on("websocket", (ws) => ws.on("framereceived", (f) => frames.push(String(f.payload))));
  await checkInFrom(alice, room, "Alice");

  // Dr. Rivera has the chat open too, but writes nothing.
  for (const page of [smith, rivera, desk]) await openChat(page, "Alice");
  await send(smith, "I am Dr. Smith, your clinician.", chatBox(smith, "Alice"));
  await send(desk, "Sam from the front desk: your forms are ready.", chatBox(desk, "Alice"));
  await send(alice, "Thank you both");
  await expect(log(chatBox(rivera, "Alice"))).toContainText("Thank you both");

  const said = (text: string) => log(alice).getByRole("listitem").filter({ hasText: text });
  await expect(said("I am Dr. Smith, your clinician.")).toContainText("Dr. Smith");
  await expect(said("your forms are ready")).toContainText("Sam Desk");
  expect(frames.join("\n")).toContain("your forms are ready");
  expect(frames.join("\n")).not.toContain("Rivera");
  expect(await alice.content()).not.toContain("Rivera");

  const { text } = await downloadChat(smith, "Alice");
  const lines = text.split("\n");
  const participants = lines.slice(lines.indexOf("Participants:") + 1, lines.findIndex((l) => l.startsWith("Started:")));
  expect(participants.sort()).toEqual(["  Host: Dr. Smith", "  Patient: Alice", "  Staff: Sam Desk"]);
  expect(lines.filter((l) => / \[\w+\] /.test(l)).map((l) => l.replace(/^\S+ /, ""))).toEqual([
    "[Host] Dr. Smith: I am Dr. Smith, your clinician.",
    "[Staff] Sam Desk: Sam from the front desk: your forms are ready.",
    "[Patient] Alice: Thank you both",
  ]);
  expect(text).not.toContain("Rivera");
});

test("the queue shows which colleague is chatting with a patient, and the chat box who else has it open", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  await checkIn(browser, room, "Alice");
  const aliceOn = (page: typeof smith) => queue(page).getByRole("listitem").filter({ hasText: "Alice" });

  await openChat(rivera, "Alice");
  await expect(aliceOn(smith)).toContainText("Dr. Rivera is chatting");
  await expect(aliceOn(rivera)).not.toContainText("is chatting");
  await openChat(smith, "Alice");
  await expect(chatBox(smith, "Alice")).toContainText("Dr. Rivera also has this chat open.");
  await expect(aliceOn(rivera)).toContainText("Dr. Smith is chatting");

  // Nothing was written: nothing to erase, so nothing to confirm.
  await chatBox(rivera, "Alice").getByRole("button", { name: "Close chat" }).click();
  await expect(rivera.getByRole("dialog")).toHaveCount(0);
  await expect(chatBox(rivera, "Alice")).toHaveCount(0);
  await expect(aliceOn(smith)).not.toContainText("is chatting");
  await expect(chatBox(smith, "Alice")).not.toContainText("also has this chat open");
});
