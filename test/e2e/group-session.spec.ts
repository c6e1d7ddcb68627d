import { expect, test } from "@playwright/test";
import { addParticipant, chatBox, checkIn, guesserAddress, joinByCode, log, newAddress, newRoom, openChat, openProvider, openStaff, participants, send, startTextOnlySession } from "./fixtures";

test("a host, a patient and an interpreter who joined by code hold a session: everyone sees who joined and who takes part", async ({ browser }) => {
  const room = newRoom();
  const host = await openProvider(browser, room, "Dr. Smith");
  const ana = await checkIn(browser, room, "Ana Lima");
  await send(ana, "Before the session");
  const box = await startTextOnlySession(host, "Ana Lima");
  const { shown, dialog } = await addParticipant(host, "Ana Lima");
  expect(shown).toMatch(/^\d{3} \d{3} \d{3}$/);
  await dialog.getByRole("button", { name: "Done" }).click();

  const grace = await joinByCode(browser, shown.replace(/ /g, "-"), "Grace Interpreter");

  for (const [page, scope] of [[host, box], [ana, ana], [grace, grace]] as const) {
    await expect(participants(scope).getByRole("listitem")).toHaveText([/Ana Lima.*Patient/, /Dr\. Smith.*Host/, /Grace Interpreter.*Guest/]);
    await expect(page.getByText("Messages are not stored. They disappear when this session ends.").first()).toBeVisible();
  }
  await expect(log(box)).toContainText("Grace Interpreter joined");
  await expect(log(ana)).toContainText("Grace Interpreter joined");
  await expect(log(grace)).not.toContainText("Before the session");
  await send(grace, "I will interpret for Ana");
  await expect(log(box)).toContainText("I will interpret for Ana");
  await expect(log(ana)).toContainText("I will interpret for Ana");
  await send(host, "Thank you both", box);
  await expect(log(grace)).toContainText("Thank you both");
  await send(ana, "Thank you, doctor");
  await expect(log(grace)).toContainText("Thank you, doctor");
});

test("an invite link fills in the code by itself and asks only for the name; the code then leaves the address bar", async ({ browser }) => {
  const room = newRoom();
  const host = await openProvider(browser, room, "Dr. Smith");
  await checkIn(browser, room, "Ana Lima");
  await startTextOnlySession(host, "Ana Lima");
  const { shown, link, dialog } = await addParticipant(host, "Ana Lima");
  expect(new URL(link).pathname).toBe("/join");
  expect(new URL(link).hash).toBe(`#code=${shown.replace(/ /g, "")}`);
  await dialog.getByRole("button", { name: "Copy invite link" }).click();
  await expect(dialog.getByRole("status")).toHaveText("Copied.");

  const grace = await (await browser.newContext()).newPage();
  await grace.goto(link);
  await expect(grace.getByRole("textbox", { name: "Your name" })).toBeVisible();
  await expect(grace.getByRole("textbox", { name: "Access code" })).toHaveCount(0);
  expect(grace.url()).not.toContain(shown.replace(/ /g, ""));
  await grace.getByRole("textbox", { name: "Your name" }).fill("Grace Interpreter");
  await grace.getByRole("button", { name: "Join", exact: true }).click();

  await expect(participants(grace).getByRole("listitem")).toHaveText([/Ana Lima/, /Dr\. Smith/, /Grace Interpreter/]);
  await expect(participants(chatBox(host, "Ana Lima"))).toContainText("Grace Interpreter");
});

test("a wrong, a replaced and a withdrawn code get the same plain answer; a new code works", async ({ browser }) => {
  const room = newRoom();
  const host = await openProvider(browser, room, "Dr. Smith");
  await checkIn(browser, room, "Ana Lima");
  await startTextOnlySession(host, "Ana Lima");
  const { shown: first, dialog } = await addParticipant(host, "Ana Lima");
  await dialog.getByRole("button", { name: "New code" }).click();
  const code = dialog.getByText(/^\d{3} \d{3} \d{3}$/);
  await expect(code).not.toHaveText(first);
  const second = (await code.textContent())!;
  await dialog.getByRole("button", { name: "Withdraw code" }).click();
  await expect(dialog.getByRole("status")).toHaveText("No access code now. Make one to let someone join.");

  const visitor = await (await browser.newContext({ extraHTTPHeaders: { "CF-Connecting-IP": newAddress() } })).newPage();
  await visitor.goto("/join");
  await visitor.getByRole("textbox", { name: "Your name" }).fill("Eve Visitor");
  for (const tried of ["000 000 000", first, second]) {
    await visitor.getByRole("textbox", { name: "Access code" }).fill(tried);
    await visitor.getByRole("button", { name: "Join", exact: true }).click();
    await expect(visitor.getByRole("alert")).toHaveText("This access code is not valid. Check it with your clinic.");
  }

  await dialog.getByRole("button", { name: "New code" }).click();
  const third = (await code.textContent())!;
  await visitor.getByRole("textbox", { name: "Access code" }).fill(third);
  await visitor.getByRole("button", { name: "Join", exact: true }).click();
  await expect(visitor.getByRole("heading", { name: "Text-only session with your provider" })).toBeVisible();
});

test("ten wrong codes from one network in a minute, then 'Too many tries', even for the right code; another network joins", async ({ browser }) => {
  const room = newRoom();
  const host = await openProvider(browser, room, "Dr. Smith");
  await checkIn(browser, room, "Ana Lima");
  await startTextOnlySession(host, "Ana Lima");
  const { shown } = await addParticipant(host, "Ana Lima");
  const guesser = await (await browser.newContext({ extraHTTPHeaders: { "CF-Connecting-IP": guesserAddress() } })).newPage();
  await guesser.goto("/join");
  await guesser.getByRole("textbox", { name: "Your name" }).fill("Eve Guesser");
  const wrong = shown === "111 111 111" ? "222 222 222" : "111 111 111";
  for (let i = 0; i < 10; i++) {
    await guesser.getByRole("textbox", { name: "Access code" }).fill(wrong);
    await guesser.getByRole("button", { name: "Join", exact: true }).click();
    // While a try is on its way the button reads "Joining…": the next click waits for the answer.
    await expect(guesser.getByRole("alert")).toHaveText("This access code is not valid. Check it with your clinic.");
  }

  await guesser.getByRole("textbox", { name: "Access code" }).fill(shown);
  await guesser.getByRole("button", { name: "Join", exact: true }).click();
  await expect(guesser.getByRole("alert")).toHaveText("Too many tries. Try again in a minute.");
  await joinByCode(browser, shown, "Grace Interpreter");
});

test("only a host adds participants; a front-desk colleague who wrote in the session is listed as Staff and may leave it", async ({ browser }) => {
  const room = newRoom();
  const host = await openProvider(browser, room, "Dr. Smith");
  const ana = await checkIn(browser, room, "Ana Lima");
  const box = await startTextOnlySession(host, "Ana Lima");
  const desk = await openStaff(browser, room, "Sam Front", "staff");
  await openChat(desk, "Ana Lima");
  const deskBox = chatBox(desk, "Ana Lima");
  await expect(deskBox.getByRole("button", { name: "Add participant" })).toHaveCount(0);
  await expect(deskBox.getByRole("button", { name: "End session" })).toHaveCount(0);
  await send(desk, "Your forms are ready", deskBox);
  await expect(participants(ana)).toContainText("Sam Front");
  await expect(participants(ana).getByRole("listitem").filter({ hasText: "Sam Front" })).toContainText("Staff");

  await deskBox.getByRole("button", { name: "Leave session" }).click();
  await desk.getByRole("dialog", { name: "Leave this session?" }).getByRole("button", { name: "Leave session" }).click();

  await expect(deskBox).toHaveCount(0);
  await expect(log(box)).toContainText("Sam Front left");
  await expect(participants(ana)).not.toContainText("Sam Front");
  await expect(log(ana)).toContainText("Your forms are ready");
});

test("when a patient's page cannot fetch the code of the session's people list, it says so and 'Try again' shows the list", async ({ browser }) => {
  const room = newRoom();
  const host = await openProvider(browser, room, "Dr. Smith");
  const ana = await checkIn(browser, room, "Ana Lima");
  // As after a new version went live: the build this page came from is gone.
  const gone = "**/assets/Participants-*.js";
  await ana.route(gone, (route) => route.fulfill({ status: 404, body: "" }));

  await startTextOnlySession(host, "Ana Lima");
  await expect(ana.getByRole("heading", { name: "Text-only session with your provider" })).toBeVisible();
  await expect(ana.getByText("The list of people in this session could not be loaded.")).toBeVisible();
  await expect(participants(ana)).toHaveCount(0);
  await send(ana, "I can still write");
  await expect(log(chatBox(host, "Ana Lima"))).toContainText("I can still write");

  await ana.unroute(gone);
  await ana.getByRole("button", { name: "Try again" }).click();
  await expect(participants(ana).getByRole("listitem")).toHaveText([/Ana Lima \(you\).*Patient/, /Dr\. Smith.*Host/]);
  await expect(ana.getByText("could not be loaded")).toHaveCount(0);
});
