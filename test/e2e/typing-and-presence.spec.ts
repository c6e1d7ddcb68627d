import { expect, test, type Browser, type Page } from "@playwright/test";
import { addParticipant, chatBox, checkInFrom, joinByCode, newRoom, participants, providerLink, signInProvider, startTextOnlySession } from "./fixtures";

/** A page of its own whose clock the test moves (for the typing notice's seconds of silence). */
async function pageWithClock(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.clock.install();
  return page;
}

/** Dr. Smith and Ana (their clocks under the test's control) in a session with Grace, who joined by code; Bo waits in the queue. */
async function groupSession(browser: Browser, watchHost?: (host: Page) => void) {
  const room = newRoom();
  const host = await pageWithClock(browser);
  watchHost?.(host);
  await signInProvider(host, await providerLink(room, "Dr. Smith"));
  const ana = await pageWithClock(browser);
  await checkInFrom(ana, room, "Ana Lima");
  const bo = await pageWithClock(browser);
  await checkInFrom(bo, room, "Bo Chen");
  const box = await startTextOnlySession(host, "Ana Lima");
  const { shown, dialog } = await addParticipant(host, "Ana Lima");
  await dialog.getByRole("button", { name: "Done" }).click();
  const grace = await joinByCode(browser, shown, "Grace Interpreter");
  return { room, host, ana, bo, box, grace };
}

test("while the interpreter types, the host and the patient see it, and it goes after a few seconds of silence; a patient waiting elsewhere sees nothing", async ({ browser }) => {
  const { host, ana, bo, box, grace } = await groupSession(browser);

  await grace.getByRole("textbox", { name: "Message" }).fill("Let me tran");

  await expect(box.getByText("Grace Interpreter is typing…")).toBeVisible();
  await expect(ana.getByText("Grace Interpreter is typing…")).toBeVisible();
  await host.clock.fastForward(4_000);
  await expect(box.getByText("Grace Interpreter is typing…")).toBeVisible();
  await host.clock.fastForward(2_500);
  await ana.clock.fastForward(6_500);
  await expect(box.getByText("is typing…")).toHaveCount(0);
  await expect(ana.getByText("is typing…")).toHaveCount(0);
  await expect(bo.getByText("is typing…")).toHaveCount(0);
  await expect(bo.locator("body")).not.toContainText("Grace");
});

test("a host who turns off 'Let others see when I am typing' sends no typing notice; turned on again, they are shown typing", async ({ browser }) => {
  const sent: string[] = [];
  const { host, ana, box } = await groupSession(browser, (page) => page.on("websocket", (ws) => ws.on("framesent", (f) => sent.push(String(f.payload)))));
  const setting = host.getByRole("checkbox", { name: "Let others see when I am typing" });
  await setting.uncheck();

  await box.getByRole("textbox", { name: "Message" }).fill("Private draft");
  await host.clock.fastForward(4_000);
  await box.getByRole("textbox", { name: "Message" }).fill("Private draft, typed on");
  await box.getByRole("button", { name: "Send" }).click();
  await expect(ana.getByText("Private draft, typed on")).toBeVisible();
  // A page's frames leave in order: any typing notice would have gone before the message.
  expect(sent.filter((f) => f.includes('"typing"'))).toEqual([]);
  await expect(ana.getByText("is typing…")).toHaveCount(0);

  await setting.check();
  await box.getByRole("textbox", { name: "Message" }).fill("Now you may see me typing");
  await expect(ana.getByText("Dr. Smith is typing…")).toBeVisible();
  expect(sent.filter((f) => f.includes('"typing"'))).toHaveLength(1);
});

test("when someone in the session is not connected, the others are told they get the messages only if they come back while it lasts", async ({ browser }) => {
  const { ana, box, grace } = await groupSession(browser);
  const notice = "Grace Interpreter is not connected. They will get your messages if they come back while this session lasts.";
  await expect(box.getByText(notice)).toHaveCount(0);

  await grace.context().close();

  await expect(box.getByText(notice)).toBeVisible();
  await expect(ana.getByText(notice)).toBeVisible();
  await expect(participants(chatBox(box.page(), "Ana Lima")).getByRole("listitem").filter({ hasText: "Grace Interpreter" })).toContainText("not connected");
});
