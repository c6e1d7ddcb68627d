import { expect, test, type Page } from "@playwright/test";
import { newRoom, providerLink } from "./fixtures";

// Each page is its own HTML file with its own script: a patient's browser
// downloads the patient's page only, never the dashboard's code.

/** The scripts a page loaded, by file name. */
async function scriptsOf(page: Page, path: string): Promise<string[]> {
  const scripts: string[] = [];
  page.on("response", (res) => {
    if (res.request().resourceType() === "script") scripts.push(new URL(res.url()).pathname);
  });
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  return scripts;
}

test("the patient's page and the dashboard each load their own script, and the patient's has none of the dashboard's", async ({ browser }) => {
  const room = newRoom();
  const patient = await (await browser.newContext()).newPage();
  const patientScripts = await scriptsOf(patient, `/r/${room}`);
  await expect(patient.getByRole("textbox", { name: "Your name" })).toBeEnabled();
  const provider = await (await browser.newContext()).newPage();
  const providerScripts = await scriptsOf(provider, await providerLink(room));
  await expect(provider.getByRole("heading", { name: "Patient queue" })).toBeVisible();

  const entries = (scripts: string[], page: string) => scripts.filter((s) => s.startsWith(`/assets/${page}-`));
  expect(entries(patientScripts, "patient")).toHaveLength(1);
  expect(entries(providerScripts, "provider")).toHaveLength(1);
  expect(entries(patientScripts, "provider")).toEqual([]);
  expect(entries(providerScripts, "patient")).toEqual([]);
});

test("the home page says where to go, with no script", async ({ page }) => {
  const scripts = await scriptsOf(page, "/");
  await expect(page.getByRole("heading", { name: "queue-chat" })).toBeVisible();
  expect(scripts).toEqual([]);
});

test("an address that is no page says so, with a 404", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
