import { expect, test, type Browser } from "@playwright/test";
import { addParticipant, checkIn, downloadChat, joinByCode, joinOn, log, newAddress, newRoom, openProvider, participants, send, startTextOnlySession } from "./fixtures";

/** Dr. Smith (host) in a text-only session with Ana and Grace, an interpreter who joined by code. */
async function groupSession(browser: Browser) {
  const room = newRoom();
  const host = await openProvider(browser, room, "Dr. Smith", "America/New_York");
  const ana = await checkIn(browser, room, "Ana Lima");
  const box = await startTextOnlySession(host, "Ana Lima");
  const { shown, dialog } = await addParticipant(host, "Ana Lima");
  await dialog.getByRole("button", { name: "Done" }).click();
  const grace = await joinByCode(browser, shown, "Grace Interpreter");
  await expect(participants(box)).toContainText("Grace Interpreter");
  return { room, host, ana, box, grace, code: shown };
}

test("a host removes a guest after confirming: the guest is told, their input closes, and a reload does not bring them back", async ({ browser }) => {
  const { host, ana, box, grace } = await groupSession(browser);

  await box.getByRole("button", { name: "Remove Grace Interpreter" }).click();
  const confirm = host.getByRole("dialog", { name: "Remove Grace Interpreter?" });
  await confirm.getByRole("button", { name: "Remove" }).click();

  await expect(grace.getByText("You were removed from this session")).toBeVisible();
  await expect(grace.getByRole("textbox", { name: "Message" })).toBeDisabled();
  await expect(log(box)).toContainText("Grace Interpreter was removed");
  await expect(log(ana)).toContainText("Grace Interpreter was removed");
  await expect(participants(ana)).not.toContainText("Grace Interpreter");
  await send(host, "Only for Ana now", box);
  await grace.reload();
  await expect(grace.getByText("You were removed from this session")).toBeVisible();
  await expect(grace.locator("body")).not.toContainText("Only for Ana now");
});

test("a guest leaves after confirming: 'You left the session', their input closes, and the others see they left", async ({ browser }) => {
  const { ana, box, grace } = await groupSession(browser);
  await expect(box.getByRole("button", { name: "Leave session" })).toHaveCount(0);

  await grace.getByRole("button", { name: "Leave session" }).click();
  await grace.getByRole("dialog", { name: "Leave this session?" }).getByRole("button", { name: "Leave session" }).click();

  await expect(grace.getByText("You left the session")).toBeVisible();
  await expect(grace.getByRole("textbox", { name: "Message" })).toBeDisabled();
  await expect(log(box)).toContainText("Grace Interpreter left");
  await expect(log(ana)).toContainText("Grace Interpreter left");
  await expect(participants(box)).not.toContainText("Grace Interpreter");
});

test("the patient leaves after confirming: 'You left the session', their input closes, the host sees they left, and the session ends for the guest", async ({ browser }) => {
  const { ana, box, grace } = await groupSession(browser);

  await ana.getByRole("button", { name: "Leave session" }).click();
  await ana.getByRole("dialog", { name: "Leave this session?" }).getByRole("button", { name: "Leave session" }).click();

  await expect(ana.getByText("You left the session")).toBeVisible();
  await expect(ana.getByRole("textbox", { name: "Message" })).toBeDisabled();
  await expect(log(box)).toContainText("Ana Lima left");
  await expect(grace.getByText("This session has ended.", { exact: false }).first()).toBeVisible();
  await expect(grace.getByRole("textbox", { name: "Message" })).toBeDisabled();
});

test("a host removes the patient after confirming: the patient is told, their input closes, a reload does not bring them back, and the session ends for the guest", async ({ browser }) => {
  const { host, ana, box, grace } = await groupSession(browser);

  await box.getByRole("button", { name: "Remove Ana Lima" }).click();
  await host.getByRole("dialog", { name: "Remove Ana Lima?" }).getByRole("button", { name: "Remove" }).click();

  await expect(ana.getByText("You were removed from this session")).toBeVisible();
  await expect(ana.getByRole("textbox", { name: "Message" })).toBeDisabled();
  await expect(log(box)).toContainText("Ana Lima was removed");
  await expect(grace.getByText("This session has ended.", { exact: false }).first()).toBeVisible();
  await ana.reload();
  await expect(ana.getByText("You were removed from this session")).toBeVisible();
  await expect(ana.getByRole("textbox", { name: "Message" })).toBeDisabled();
});

test("ending the session ends it for the guest too", async ({ browser }) => {
  const { host, box, grace } = await groupSession(browser);

  await box.getByRole("button", { name: "End session" }).click();
  await expect(host.getByRole("dialog")).toHaveCount(0);

  await expect(grace.getByText("This session has ended.", { exact: false }).first()).toBeVisible();
  await expect(grace.getByRole("textbox", { name: "Message" })).toBeDisabled();
});

test("a host deletes any message and everyone else their own: the text goes from every page at once, 'Message deleted' stays in its place", async ({ browser }) => {
  const { host, ana, box, grace } = await groupSession(browser);
  await send(ana, "Ana's private detail");
  await send(grace, "Grace's slip of the tongue");
  await send(host, "A note from the doctor", box);
  for (const l of [log(box), log(ana), log(grace)]) await expect(l).toContainText("A note from the doctor");
  // Each page offers to delete what its person may delete.
  await expect(log(box).getByRole("button", { name: "Delete message" })).toHaveCount(3);
  await expect(log(ana).getByRole("button", { name: "Delete message" })).toHaveCount(1);
  await expect(log(grace).getByRole("button", { name: "Delete message" })).toHaveCount(1);

  await log(box).getByRole("listitem").filter({ hasText: "Ana's private detail" }).getByRole("button", { name: "Delete message" }).click();
  await host.getByRole("dialog", { name: "Delete this message?" }).getByRole("button", { name: "Delete" }).click();
  await log(grace).getByRole("listitem").filter({ hasText: "Grace's slip of the tongue" }).getByRole("button", { name: "Delete message" }).click();
  await grace.getByRole("dialog", { name: "Delete this message?" }).getByRole("button", { name: "Delete" }).click();

  for (const page of [host, ana, grace]) {
    await expect(log(page)).not.toContainText("Ana's private detail");
    await expect(log(page)).not.toContainText("Grace's slip of the tongue");
    await expect(log(page).getByText("Message deleted")).toHaveCount(2);
  }
  await expect(log(ana).getByRole("button", { name: "Delete message" })).toHaveCount(0);
});

test("a page whose network dropped while a message was deleted comes back without its text, and brings it back to no one", async ({ browser }) => {
  // Four browsers and a network that drops: slow on a busy machine.
  test.setTimeout(60_000);
  const { host, ana, box, code } = await groupSession(browser);
  // A guest whose page's clock the test moves on, so its heartbeat can notice a dead network.
  const omar = await (await browser.newContext({ extraHTTPHeaders: { "CF-Connecting-IP": newAddress() } })).newPage();
  await omar.clock.install();
  await joinOn(omar, code, "Omar Brother");
  await send(omar, "Said in the wrong chat");
  for (const p of [host, ana]) await expect(log(p)).toContainText("Said in the wrong chat");
  // Omar's network drops; no close event comes on a dead network: the heartbeat notices the silence.
  await omar.context().setOffline(true);
  await omar.clock.fastForward("00:30");
  await expect(omar.getByText(/Connecting|Reconnecting/)).toBeVisible();

  await log(box).getByRole("listitem").filter({ hasText: "Said in the wrong chat" }).getByRole("button", { name: "Delete message" }).click();
  await host.getByRole("dialog", { name: "Delete this message?" }).getByRole("button", { name: "Delete" }).click();
  await expect(log(ana)).not.toContainText("Said in the wrong chat");
  await send(host, "While Omar was away", box);

  await omar.context().setOffline(false);
  await expect(log(omar)).toContainText("While Omar was away");
  await expect(omar.getByText(/Connecting|Reconnecting/)).toHaveCount(0);
  for (const p of [host, ana, omar]) {
    await expect(log(p)).not.toContainText("Said in the wrong chat");
    await expect(log(p).getByText("Message deleted")).toHaveCount(1);
  }
  await send(omar, "Back again");
  for (const p of [host, ana]) await expect(log(p)).toContainText("Back again");
  for (const p of [host, ana]) await expect(log(p)).not.toContainText("Said in the wrong chat");
});

test("chat-history.txt names everyone who took part with their role, with joins, leaves, removals and deletions as event lines and never a deleted text", async ({ browser }) => {
  // Four browsers, a leave, a removal and a download: slow on a busy machine.
  test.setTimeout(60_000);
  const { host, ana, box, grace, code } = await groupSession(browser);
  const omar = await joinByCode(browser, code, "Omar Brother");
  await send(grace, "Interpreting now");
  await send(omar, "Something to take back");
  await expect(log(box)).toContainText("Something to take back");
  await log(omar).getByRole("listitem").filter({ hasText: "Something to take back" }).getByRole("button", { name: "Delete message" }).click();
  await omar.getByRole("dialog", { name: "Delete this message?" }).getByRole("button", { name: "Delete" }).click();
  await expect(log(box)).toContainText("Message deleted");
  await omar.getByRole("button", { name: "Leave session" }).click();
  await omar.getByRole("dialog", { name: "Leave this session?" }).getByRole("button", { name: "Leave session" }).click();
  await expect(log(box)).toContainText("Omar Brother left");
  await box.getByRole("button", { name: "Remove Grace Interpreter" }).click();
  await host.getByRole("dialog", { name: "Remove Grace Interpreter?" }).getByRole("button", { name: "Remove" }).click();
  await expect(log(box)).toContainText("Grace Interpreter was removed");
  await send(ana, "Thank you");
  await expect(log(box)).toContainText("Thank you");

  const { text } = await downloadChat(host, "Ana Lima");

  const lines = text.split("\n");
  const header = lines.slice(lines.indexOf("Participants:") + 1, lines.findIndex((l) => l.startsWith("Started:")));
  expect(header).toEqual(["  Host: Dr. Smith", "  Patient: Ana Lima", "  Guest: Grace Interpreter", "  Guest: Omar Brother"]);
  const events = lines.filter((l) => / \* /.test(l)).map((l) => l.replace(/^\S+ \* /, ""));
  expect(events).toEqual(["Ana Lima checked in", "Text-only session started", "Grace Interpreter joined", "Omar Brother joined", "message deleted by Omar Brother", "Omar Brother left", "Grace Interpreter was removed"]);
  expect(text).not.toContain("Something to take back");
  expect(lines.filter((l) => / \[(Host|Patient|Guest|Staff)\] /.test(l)).map((l) => l.replace(/^\S+ /, ""))).toEqual(["[Guest] Grace Interpreter: Interpreting now", "[Patient] Ana Lima: Thank you"]);
  expect(lines.at(-2)).toBe("Messages: 2");
});
