import { expect, test, type Locator } from "@playwright/test";
import { chatBox, checkIn, log, newRoom, openChat, openProvider, send } from "./fixtures";

/** Names in Hebrew: right-to-left letters, valid display names. */
const PATIENT = "אבי כהן";
const PROVIDER = "ד״ר לוי";

/** The message in `scope` that contains `text`: its sender's name and its time, as laid out on screen. */
async function nameAndTime(scope: Locator, name: string, text: string) {
  const item = log(scope).getByRole("listitem").filter({ hasText: text });
  const [who, time] = await Promise.all([item.getByText(name, { exact: true }).boundingBox(), item.locator("time").boundingBox()]);
  return { who: who!, time: time! };
}

test("a right-to-left name keeps its place: the time written after it stays after it, on both sides", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room, PROVIDER);
  const patient = await checkIn(browser, room, PATIENT);
  await openChat(provider, PATIENT);
  const box = chatBox(provider, PATIENT);
  await send(patient, "Hello from the waiting room");
  await send(provider, "Hello, I will be with you shortly", box);
  await expect(log(patient)).toContainText("Hello, I will be with you shortly");

  // Left to right, as written: "<name> · <time>". Without isolation the bidi
  // algorithm pulls the time into the name's right-to-left run, left of it.
  for (const [scope, name, text] of [[box, PATIENT, "Hello from the waiting room"], [patient.locator("body"), PROVIDER, "Hello, I will be with you"]] as const) {
    const { who, time } = await nameAndTime(scope, name, text);
    expect(time.x, `the time after ${name}`).toBeGreaterThanOrEqual(who.x + who.width - 1);
  }
});

test("a link that hides a text-direction override shows exactly the address it opens, and the override shows as a code", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room);
  const patient = await checkIn(browser, room, "Mallory");
  await openChat(provider, "Mallory");
  const box = chatBox(provider, "Mallory");
  // Displayed raw, U+202E turns "invoice\u202Efdp.exe" into "invoiceexe.pdf".
  await send(patient, "Your invoice: https://example.com/invoice\u202Efdp.exe");
  await send(patient, "Amount due \u202E001 $ today");

  for (const scope of [log(box), log(patient)]) {
    await expect(scope).toContainText("Amount due");
    const link = scope.getByRole("link");
    await expect(link).toHaveCount(1);
    await expect(link).toHaveText("https://example.com/invoice%E2%80%AEfdp.exe");
    expect(await link.getAttribute("href")).toBe(await link.textContent());
    // Outside a link, the override is spelled out instead of turning the text around.
    await expect(scope.getByText("Amount due U+202E001 $ today", { exact: true })).toBeVisible();
    expect(await scope.textContent()).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  }
});
