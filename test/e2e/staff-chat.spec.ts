import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  alertsOn,
  announced,
  chatBox,
  chatOption,
  checkInFrom,
  createGroup,
  downloadChat,
  log,
  newCanary,
  newRoom,
  openStaff,
  openStaffChat,
  providerLink,
  recordAlerts,
  send,
  setHidden,
  signInProvider,
  staffItem,
  staffList,
} from "./fixtures";

// Three or four staff pages and patients per test: room for a busy machine.

const unread = (page: Page, name: string) => staffItem(page, name).getByText(/unread message/);

/** Dr. Smith and Dr. Rivera (hosts) and Sam Desk (front desk), in the group "Ward team" that Dr. Smith created. */
async function wardTeam(browser: Browser) {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  const desk = await openStaff(browser, room, "Sam Desk", "staff");
  const box = await createGroup(smith, "Ward team", ["Dr. Rivera", "Sam Desk"]);
  return { room, smith, rivera, desk, box };
}

test("the Staff list shows the colleagues signed in to the waiting room, online, or away while their page is hidden", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  await openStaff(browser, room, "Sam Desk", "staff");
  await openStaff(browser, newRoom(), "Dr. Elsewhere", "host");

  await expect(staffList(smith).getByRole("listitem")).toHaveText([/^Dr\. Rivera.*Online · Host$/, /^Sam Desk.*Online · Front desk$/]);
  await expect(staffList(rivera).getByRole("listitem")).toHaveText([/^Dr\. Smith/, /^Sam Desk/]);
  await setHidden(rivera, true);
  await expect(staffItem(smith, "Dr. Rivera")).toContainText("Away · Host");
  await setHidden(rivera, false);
  await expect(staffItem(smith, "Dr. Rivera")).toContainText("Online · Host");
});

test("a colleague whose pages all closed shows away during the grace period, then leaves the Staff list", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  await expect(staffItem(smith, "Dr. Rivera")).toContainText("Online");
  await rivera.context().close();
  await expect(staffItem(smith, "Dr. Rivera")).toContainText("Away");
  await expect(staffItem(smith, "Dr. Rivera")).toHaveCount(0, { timeout: 10_000 });
  await expect(smith.getByText("No colleagues are signed in to this waiting room.")).toBeVisible();
});

test("two colleagues chat one to one in a chat box labelled with the other's name", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const desk = await openStaff(browser, room, "Sam Desk", "staff");

  const box = await openStaffChat(smith, "Sam Desk");
  await expect(box.getByText("Staff chat")).toBeVisible();
  await send(smith, "Can you call Alice's pharmacy?", box);
  await expect(unread(desk, "Dr. Smith")).toHaveText("1 unread message");
  await expect(announced(desk)).toHaveText("New message from Dr. Smith.");
  await expect(desk).toHaveTitle("(1) Patient queue");

  const reply = await openStaffChat(desk, "Dr. Smith");
  await expect(log(reply)).toContainText("Can you call Alice's pharmacy?");
  await expect(unread(desk, "Dr. Smith")).toHaveCount(0);
  await send(desk, "Done, they have it.", reply);
  await expect(log(box)).toContainText("Done, they have it.");
  await expect(log(box).getByRole("listitem").filter({ hasText: "Done, they have it." })).toContainText("Sam Desk");
});

test("a staff chat box follows the chat box rules: minimized it opens by itself, closed it counts, and closing erases nothing", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  const box = await openStaffChat(smith, "Dr. Rivera");
  await send(smith, "First", box);
  const theirs = await openStaffChat(rivera, "Dr. Smith");
  await expect(log(theirs)).toContainText("First");

  await theirs.getByRole("button", { name: "Minimize chat" }).click();
  await expect(log(theirs)).toHaveCount(0);
  await send(smith, "Second", box);
  await expect(log(theirs)).toContainText("Second");

  await theirs.getByRole("button", { name: "Close chat" }).click();
  await expect(rivera.getByRole("dialog")).toHaveCount(0);
  await expect(theirs).toHaveCount(0);
  await send(smith, "Third", box);
  await expect(unread(rivera, "Dr. Smith")).toHaveText("1 unread message");
  await expect(theirs).toHaveCount(0);

  await openStaffChat(rivera, "Dr. Smith");
  await expect(log(theirs).getByRole("listitem")).toHaveText([/First/, /Second/, /Third/]);
});

test("a reload brings staff chats back, and what the page had shown does not count as new", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  const box = await openStaffChat(smith, "Dr. Rivera");
  await send(smith, "Read before the reload", box);
  await expect(log(await openStaffChat(rivera, "Dr. Smith"))).toContainText("Read before the reload");

  await rivera.reload();
  await expect(rivera.getByRole("button", { name: "Chat options for Dr. Smith" })).toBeVisible();
  await expect(unread(rivera, "Dr. Smith")).toHaveCount(0);
  await expect(rivera).toHaveTitle("Patient queue");
  await send(smith, "New after the reload", box);
  await expect(unread(rivera, "Dr. Smith")).toHaveText("1 unread message");
  const theirs = await openStaffChat(rivera, "Dr. Smith");
  await expect(log(theirs).getByRole("listitem")).toHaveText([/Read before the reload/, /New after the reload/]);
});

test("a host creates a group with the colleagues chosen; its members write and read in a box labelled with the group's name", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  const desk = await openStaff(browser, room, "Sam Desk", "staff");
  const lee = await openStaff(browser, room, "Dr. Lee", "host");

  await smith.getByRole("button", { name: "New group" }).click();
  const dialog = smith.getByRole("dialog", { name: "New group" });
  await expect(dialog.getByRole("textbox", { name: "Group name" })).toBeFocused();
  await expect(dialog.getByRole("checkbox")).toHaveCount(3);
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Give the group a name.");
  await smith.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(smith.getByRole("button", { name: "New group" })).toBeFocused();

  const box = await createGroup(smith, "Ward team", ["Dr. Rivera", "Sam Desk"]);
  await expect(box).toContainText("Staff group · Dr. Smith, Dr. Rivera, Sam Desk");
  await send(smith, "Huddle at noon", box);
  await expect(unread(rivera, "Ward team")).toHaveText("1 unread message");
  await expect(announced(rivera)).toHaveText("New message from Dr. Smith in Ward team.");
  const deskBox = await openStaffChat(desk, "Ward team");
  await expect(log(deskBox)).toContainText("Huddle at noon");
  await send(desk, "I will book the room", deskBox);
  await expect(log(box)).toContainText("I will book the room");
  const riveraBox = await openStaffChat(rivera, "Ward team");
  await expect(log(riveraBox).getByRole("listitem")).toHaveText([/Dr\. Smith.*Huddle at noon/, /Sam Desk.*I will book the room/]);

  await expect(staffItem(lee, "Ward team")).toHaveCount(0);
  await expect(staffList(lee)).not.toContainText("Ward team");
});

test("a muted staff chat is quiet: no sound, no desktop notification, no opening by itself; it still counts and shows Muted", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const context = await browser.newContext();
  await context.addInitScript(recordAlerts);
  const riv = await context.newPage();
  await signInProvider(riv, await providerLink(room, "Dr. Rivera"));
  await riv.getByRole("checkbox", { name: "Show desktop notifications" }).check();

  const box = await openStaffChat(smith, "Dr. Rivera");
  await send(smith, "Before muting", box);
  await expect(unread(riv, "Dr. Smith")).toHaveText("1 unread message");
  // The notification isolates the name (U+2068…U+2069), so an odd name cannot reorder it.
  const once = { chimes: 1, notifications: ["New message from \u2068Dr. Smith\u2069"], announced: ["New message from Dr. Smith."] };
  await expect.poll(() => alertsOn(riv)).toEqual(once);

  const theirs = await openStaffChat(riv, "Dr. Smith");
  // The options menu works from the keyboard, as every menu on the page does.
  await riv.getByRole("button", { name: "Chat options for Dr. Smith" }).focus();
  await riv.keyboard.press("ArrowDown");
  await expect(riv.getByRole("menuitem", { name: "Mute notifications" })).toBeFocused();
  await riv.keyboard.press("Enter");
  await expect(staffItem(riv, "Dr. Smith").getByText("Muted")).toBeVisible();
  await expect(theirs.getByText("Muted")).toBeVisible();
  await expect(staffItem(smith, "Dr. Rivera").getByText("Muted")).toHaveCount(0);
  await theirs.getByRole("button", { name: "Minimize chat" }).click();
  await send(smith, "While muted", box);
  await expect(unread(riv, "Dr. Smith")).toHaveText("1 unread message");
  await expect(log(theirs)).toHaveCount(0);
  expect(await alertsOn(riv)).toEqual(once);

  await chatOption(riv, "Dr. Smith", "Unmute notifications");
  await expect(staffItem(riv, "Dr. Smith").getByText("Muted")).toHaveCount(0);
  await send(smith, "After unmuting", box);
  await expect(log(theirs)).toContainText("After unmuting");
  // In view again, the log announces it: the sound and the notification are back.
  await expect.poll(() => alertsOn(riv)).toEqual({ ...once, chimes: 2, notifications: [...once.notifications, ...once.notifications] });
});

test("an archived group leaves the Staff list until a new message brings it back", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  const box = await createGroup(smith, "Night shift", ["Dr. Rivera"]);
  await send(smith, "Handover at 7", box);
  await expect(unread(rivera, "Night shift")).toHaveText("1 unread message");

  await chatOption(rivera, "Night shift", "Archive chat");
  await expect(staffItem(rivera, "Night shift")).toHaveCount(0);
  await expect(staffItem(smith, "Night shift")).toBeVisible();
  await send(smith, "Bring the keys", box);
  await expect(unread(rivera, "Night shift")).toHaveText("1 unread message");
  const theirs = await openStaffChat(rivera, "Night shift");
  await expect(log(theirs).getByRole("listitem")).toHaveText([/Handover at 7/, /Bring the keys/]);
});

test("archiving a colleague's chat keeps the colleague listed, without the chat's counter or options, until it comes back", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  const box = await openStaffChat(smith, "Dr. Rivera");
  await send(smith, "One", box);
  const options = rivera.getByRole("button", { name: "Chat options for Dr. Smith" });
  await expect(unread(rivera, "Dr. Smith")).toBeVisible();

  await chatOption(rivera, "Dr. Smith", "Archive chat");
  await expect(staffItem(rivera, "Dr. Smith")).toBeVisible();
  await expect(unread(rivera, "Dr. Smith")).toHaveCount(0);
  await expect(options).toHaveCount(0);

  // Back when a new message arrives…
  await send(smith, "Two", box);
  await expect(unread(rivera, "Dr. Smith")).toHaveText("1 unread message");
  await expect(options).toBeVisible();

  // …or when opened again from the Staff list.
  await chatOption(rivera, "Dr. Smith", "Archive chat");
  await expect(options).toHaveCount(0);
  const theirs = await openStaffChat(rivera, "Dr. Smith");
  await expect(options).toBeVisible();
  await expect(log(theirs).getByRole("listitem")).toHaveText([/One/, /Two/]);
});

test("a member who leaves a group is told so and can no longer write; the others see them leave, and nothing more reaches them", async ({ browser }) => {
  const { smith, rivera, desk, box } = await wardTeam(browser);
  await send(smith, "Before Sam leaves", box);
  const deskBox = await openStaffChat(desk, "Ward team");
  const riveraBox = await openStaffChat(rivera, "Ward team");
  await expect(log(deskBox)).toContainText("Before Sam leaves");
  await smith.getByRole("button", { name: "Chat options for Ward team" }).click();
  await expect(smith.getByRole("menuitem")).toHaveText(["Mute notifications", "Archive chat", "Delete group"]);
  await smith.keyboard.press("Escape");

  await chatOption(desk, "Ward team", "Leave group");
  const confirm = desk.getByRole("dialog", { name: "Leave Ward team?" });
  await expect(confirm).toContainText("You will no longer receive messages from this group.");
  await confirm.getByRole("button", { name: "Leave group" }).click();

  await expect(deskBox.getByText("You left the group.")).toBeVisible();
  const input = deskBox.getByRole("textbox", { name: "Message" });
  await expect(input).toBeDisabled();
  await expect(input).toHaveAccessibleDescription("You left the group. You cannot send messages to this group.");
  await expect(staffItem(desk, "Ward team")).toContainText("You left the group");
  for (const theirs of [box, riveraBox]) await expect(log(theirs)).toContainText("Sam Desk left");
  await expect(box).toContainText("Staff group · Dr. Smith, Dr. Rivera");

  await send(smith, "After Sam left", box);
  await expect(log(riveraBox)).toContainText("After Sam left");
  await expect(log(deskBox)).toContainText("Before Sam leaves");
  await expect(log(deskBox)).not.toContainText("After Sam left");
  await expect(unread(desk, "Ward team")).toHaveCount(0);
  // What they kept is theirs to put away.
  await desk.getByRole("button", { name: "Chat options for Ward team" }).click();
  await expect(desk.getByRole("menuitem")).toHaveText(["Archive chat"]);
  await desk.getByRole("menuitem", { name: "Archive chat" }).click();
  await expect(staffItem(desk, "Ward team")).toHaveCount(0);
  await expect(deskBox).toHaveCount(0);
});

test("the owner deletes a group and it disappears for every member at once", async ({ browser }) => {
  const { smith, rivera, desk, box } = await wardTeam(browser);
  await send(smith, "Soon gone", box);
  const riveraBox = await openStaffChat(rivera, "Ward team");
  await expect(log(riveraBox)).toContainText("Soon gone");
  await rivera.getByRole("button", { name: "Chat options for Ward team" }).click();
  await expect(rivera.getByRole("menuitem")).toHaveText(["Mute notifications", "Archive chat", "Leave group"]);
  await rivera.keyboard.press("Escape");
  await expect(staffItem(desk, "Ward team")).toBeVisible();

  await chatOption(smith, "Ward team", "Delete group");
  await smith.getByRole("dialog", { name: "Delete Ward team?" }).getByRole("button", { name: "Delete group" }).click();
  for (const page of [smith, rivera, desk]) {
    await expect(staffItem(page, "Ward team")).toHaveCount(0);
    await expect(chatBox(page, "Ward team")).toHaveCount(0);
  }
  await expect(announced(rivera)).toHaveText("The group Ward team was deleted.");
});

test("downloading a staff chat asks for consent, and chat-history.txt lists its members with their roles", async ({ browser }) => {
  const { room, smith, rivera, desk, box } = await wardTeam(browser);
  await send(smith, "Who has bed 4?", box);
  const deskBox = await openStaffChat(desk, "Ward team");
  await send(desk, "Bed 4 is free", deskBox);
  const riveraBox = await openStaffChat(rivera, "Ward team");
  await expect(log(riveraBox)).toContainText("Bed 4 is free");

  const { filename, text } = await downloadChat(rivera, "Ward team");
  expect(filename).toBe("chat-history.txt");
  const lines = text.split("\n");
  expect(lines.slice(0, 7)).toEqual([
    "queue-chat chat history",
    `Room: ${room}`,
    "Session: staff group: Ward team",
    "Participants:",
    "  Host: Dr. Smith",
    "  Host: Dr. Rivera",
    "  Staff: Sam Desk",
  ]);
  expect(lines.filter((l) => / \[\w+\] /.test(l)).map((l) => l.replace(/^\S+ /, ""))).toEqual(["[Host] Dr. Smith: Who has bed 4?", "[Staff] Sam Desk: Bed 4 is free"]);
  expect(lines.at(-2)).toBe("Messages: 2");
});

test("a staff chat reaches its members only: a colleague outside it and the patients receive no frame about it", async ({ browser }) => {
  const room = newRoom();
  const canary = newCanary();
  const recording = async (page: Page) => {
    const frames: string[] = [];
    page.on("websocket", (ws) => ws.on("framereceived", (f) => frames.push(String(f.payload))));
    return frames;
  };
  const smith = await (await browser.newContext()).newPage();
  const smithFrames = await recording(smith);
  await signInProvider(smith, await providerLink(room, "Dr. Smith"));
  const rivera = await openStaff(browser, room, "Dr. Rivera", "host");
  const lee = await (await browser.newContext()).newPage();
  const leeFrames = await recording(lee);
  await signInProvider(lee, await providerLink(room, "Dr. Lee"));
  const alice = await (await browser.newContext()).newPage();
  const aliceFrames = await recording(alice);
  await checkInFrom(alice, room, "Alice");

  const direct = await openStaffChat(smith, "Dr. Rivera");
  await send(smith, `Just us ${canary}`, direct);
  const group = await createGroup(smith, `Group ${canary}`, ["Dr. Rivera"]);
  await send(smith, `Group note ${canary}`, group);
  const theirs = await openStaffChat(rivera, `Group ${canary}`);
  await send(rivera, `Reply ${canary}`, theirs);
  await expect(log(group)).toContainText(`Reply ${canary}`);
  // Everyone's traffic went on meanwhile: the recordings are live.
  await send(alice, "Hello from the waiting room");
  await expect(staffItem(lee, "Dr. Smith")).toBeVisible();
  await expect.poll(() => leeFrames.join("\n")).toContain("Hello from the waiting room");

  const staffChats = smithFrames.flatMap((f) => (f.includes('"type":"conversation"') ? [(JSON.parse(f) as { c: string }).c] : []));
  expect(new Set(staffChats).size).toBe(2);
  for (const frames of [leeFrames, aliceFrames]) {
    const received = frames.join("\n");
    expect(received).not.toContain(canary);
    for (const c of staffChats) expect(received).not.toContain(c);
  }
});
