import { expect, test } from "@playwright/test";
import { signInvite } from "../../worker/tokens";
import { chatBox, log, newRoom, openChat, openProvider, queue, SECRET, send } from "./fixtures";

const HOUR = 3_600_000;
const inviteLink = async (room: string, start: number, end: number) => `/join#t=${await signInvite(SECRET, room, "s".repeat(22), start, end)}`;

test("a scheduled link opened before its window says when the session starts", async ({ page }) => {
  await page.goto(await inviteLink(newRoom(), Date.now() + 2 * HOUR, Date.now() + 3 * HOUR));
  await expect(page.getByRole("status")).toContainText("This session starts on");
  await expect(page.getByRole("button", { name: "Join session" })).toHaveCount(0);
});

test("a scheduled link opened after its window says it has expired", async ({ page }) => {
  await page.goto(await inviteLink(newRoom(), Date.now() - 3 * HOUR, Date.now() - 2 * HOUR));
  await expect(page.getByRole("alert")).toContainText("This session link has expired.");
  await expect(page.getByRole("button", { name: "Join session" })).toHaveCount(0);
});

test("a forged scheduled link is refused", async ({ page }) => {
  await page.goto("/join#t=forged");
  await expect(page.getByRole("alert")).toContainText("not valid");
});

/** What anyone holding a link can read from it: the token's payload, base64url-decoded (no secret needed). */
const readableFrom = (link: string): string => Buffer.from(link.split("#t=")[1]!.split(".")[1]!, "base64url").toString("utf8");

test("the patient's label stays on the provider's dashboard: the link holds no label or name, and the join page does not fill one in", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  await provider.getByRole("textbox", { name: "Patient label (optional)" }).fill("Grace H.");
  await provider.getByRole("button", { name: "Create link" }).click();
  await expect(provider.getByRole("status").filter({ hasText: "Link for" })).toContainText("(Grace H.)");
  const link = await provider.getByRole("textbox", { name: "Session link" }).inputValue();
  expect(JSON.parse(readableFrom(link))).toEqual({ kind: "invite", room, sid: expect.any(String), start: expect.any(Number), end: expect.any(Number) });
  expect(readableFrom(link)).not.toContain("Grace");

  const patient = await (await browser.newContext()).newPage();
  await patient.goto(link);
  await expect(patient.getByRole("button", { name: "Join session" })).toBeVisible();
  await expect(patient.getByRole("textbox", { name: "Your name" })).toHaveValue("");
});

test("during its window the patient joins, and the provider's dashboard shows the session", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  await provider.getByRole("button", { name: "Create link" }).click();
  const link = await provider.getByRole("textbox", { name: "Session link" }).inputValue();
  expect(link).toMatch(/\/join#t=/);

  const patient = await (await browser.newContext()).newPage();
  await patient.goto(link);
  await patient.getByRole("textbox", { name: "Your name" }).fill("Grace Hopper");
  await patient.getByRole("button", { name: "Join session" }).click();
  await expect(patient.getByRole("heading", { name: "Text-only session with your provider" })).toBeVisible();

  const item = queue(provider).getByRole("listitem").filter({ hasText: "Grace Hopper" });
  await expect(item).toContainText("Scheduled text-only session");
  await expect(provider.locator("[aria-live=polite]")).toHaveText("Grace Hopper arrived for a scheduled text-only session.");
  await openChat(provider, "Grace Hopper");
  const box = chatBox(provider, "Grace Hopper");
  await expect(box.getByRole("button", { name: "End session" })).toBeVisible();
  await send(patient, "I'm here for my appointment");
  await expect(log(box)).toContainText("I'm here for my appointment");
});
