import { expect, test, type Browser, type Page } from "@playwright/test";
import { chatBox, checkInFrom, log, newCanary, newRoom, openChat, openProvider, queue, send } from "./fixtures";

/** A patient checked in, with every WebSocket frame their browser receives recorded. */
async function checkInRecording(browser: Browser, room: string, name: string): Promise<{ name: string; page: Page; frames: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const frames: string[] = [];
  page.on("websocket", (ws) => ws.on("framereceived", (f) => frames.push(String(f.payload))));
  await checkInFrom(page, room, name);
  return { name, page, frames };
}

/** Everything the page holds as markup, hidden parts and attributes included, and its title. */
const pageSource = (page: Page) => page.evaluate(() => `${document.title}\n${document.documentElement.outerHTML}`);

test("a waiting patient never receives another patient's name or messages, not even with the provider's message to everyone", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const ava = { ...(await checkInRecording(browser, room, `Ava ${newCanary()}`)), message: `Ava's symptom ${newCanary()}` };
  const ben = { ...(await checkInRecording(browser, room, `Ben ${newCanary()}`)), message: `Ben's reply ${newCanary()}` };
  await expect(queue(provider).getByRole("listitem")).toHaveText([new RegExp(ava.name), new RegExp(ben.name)]);

  const everyone = `Running late ${newCanary()}`;
  await provider.getByRole("textbox", { name: "Message everyone waiting" }).fill(everyone);
  await provider.getByRole("button", { name: "Send to everyone waiting" }).click();
  await expect(provider.getByText("Sent to 2 waiting patients.")).toBeVisible();
  await send(ava.page, ava.message);
  await expect(queue(provider).getByText("1 unread message")).toBeVisible();
  await openChat(provider, ben.name);
  await send(provider, ben.message, chatBox(provider, ben.name));
  await expect(log(ben.page)).toContainText(ben.message);

  for (const [me, other] of [[ava, ben], [ben, ava]] as const) {
    await expect(log(me.page)).toContainText(everyone);
    // The recording saw the room's traffic, so its silence about the other patient means something.
    const received = me.frames.join("\n");
    expect(received).toContain(everyone);
    const source = await pageSource(me.page);
    for (const secret of [other.name, other.message]) {
      expect(received).not.toContain(secret);
      expect(source).not.toContain(secret);
    }
  }
});
