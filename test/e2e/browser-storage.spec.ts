import { rmSync } from "node:fs";
import { chromium, expect, test, type Page } from "@playwright/test";
import { chatWithCanary, chatWithCanaryOn, closeAndLeave, downloadChat, fileHolds, filesUnder, log, newCanary, newRoom } from "./fixtures";

/** Notification settings: the one thing the app may keep in web storage. */
const PREFS_KEY = "queue-chat:notify";

/** Everything this origin keeps in the browser that a page script can read. */
async function readBrowserStorage() {
  const entries = (s: Storage) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i)!, s.getItem(s.key(i)!)]));
  const done = <T>(req: IDBRequest<T>) => new Promise<T>((ok, fail) => ((req.onsuccess = () => ok(req.result)), (req.onerror = () => fail(req.error))));
  const indexedDb = await Promise.all(
    (await indexedDB.databases()).map(async ({ name }) => {
      const db = await done(indexedDB.open(name!));
      const stores = await Promise.all(Array.from(db.objectStoreNames, async (store) => [store, await done(db.transaction(store).objectStore(store).getAll())]));
      db.close();
      return { name, stores: Object.fromEntries(stores) };
    }),
  );
  const cacheStorage = await Promise.all(
    (await caches.keys()).map(async (name) => {
      const cache = await caches.open(name);
      const bodies = await Promise.all((await cache.keys()).map(async (req) => [req.url, await (await cache.match(req))?.text()]));
      return { name, entries: Object.fromEntries(bodies) };
    }),
  );
  return {
    localStorage: entries(localStorage),
    sessionStorage: entries(sessionStorage),
    indexedDb,
    cacheStorage,
    serviceWorkers: (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope),
    documentCookie: document.cookie,
  };
}

/**
 * No `canary` in any browser storage or cookie; web storage holds at
 * most the notification booleans, and cookies are HttpOnly, SameSite=Strict
 * session cookies. Returns the cookie names, for the caller to expect.
 */
async function expectOnlyAllowedStorage(page: Page, canary: string): Promise<string[]> {
  const stored = await page.evaluate(readBrowserStorage);
  const state = await page.context().storageState();
  expect(JSON.stringify(stored)).not.toContain(canary);
  expect(JSON.stringify(state)).not.toContain(canary);
  const { [PREFS_KEY]: prefs, ...otherLocal } = stored.localStorage;
  expect(otherLocal).toEqual({});
  for (const value of Object.values(prefs ? (JSON.parse(prefs) as object) : {})) expect(typeof value).toBe("boolean");
  expect({ ...stored, localStorage: {} }).toEqual({ localStorage: {}, sessionStorage: {}, indexedDb: [], cacheStorage: [], serviceWorkers: [], documentCookie: "" });
  for (const cookie of state.cookies) expect(cookie, cookie.name).toMatchObject({ httpOnly: true, sameSite: "Strict", expires: -1 });
  return state.cookies.map((c) => c.name);
}

test("after a whole chat, the browsers keep no message text or names: only notification settings and session cookies", async ({ browser }) => {
  const canary = newCanary();
  const chat = await chatWithCanary(browser, newRoom(), canary);
  const { provider, patient } = chat;
  expect((await downloadChat(provider, chat.patientName)).text).toContain(canary);
  await expect(log(patient)).toContainText("The provider saved a copy of this chat.");

  // While the conversation is on screen, and signed in on both sides.
  expect(await expectOnlyAllowedStorage(provider, canary)).toEqual(["qc_staff"]);
  expect(await expectOnlyAllowedStorage(patient, canary)).toEqual(["qc_patient"]);

  // And once it is over: nothing was saved on the way out either.
  await closeAndLeave(chat);
  expect(await expectOnlyAllowedStorage(provider, canary)).toEqual(["qc_staff"]);
  expect(await expectOnlyAllowedStorage(patient, canary)).toEqual([]);
});

test("after a whole chat, neither browser's profile on disk holds the message text", async ({ launchOptions, baseURL }) => {
  const canary = newCanary();
  const profiles = [test.info().outputPath("provider-profile"), test.info().outputPath("patient-profile")];
  const contexts = await Promise.all(profiles.map((dir) => chromium.launchPersistentContext(dir, { ...launchOptions, baseURL, acceptDownloads: true })));
  const [provider, patient] = await Promise.all(contexts.map((c) => c.newPage()));
  // A plain name: Chromium's form history keeps what is typed in "Your name", as for any form.
  const chat = await chatWithCanaryOn(provider, patient, newRoom(), canary, "Pat Ondisk");
  await downloadChat(provider, chat.patientName);
  await closeAndLeave(chat);
  // Closing flushes the profile's databases (history, web storage, caches, session restore) to disk.
  await Promise.all(contexts.map((c) => c.close()));

  const [providerFiles, patientFiles] = profiles.map(filesUnder);
  // The scan reads what the browser keeps: the notification settings reached the provider's disk.
  expect(providerFiles.some((f) => fileHolds(f, PREFS_KEY))).toBe(true);
  for (const file of [...providerFiles, ...patientFiles]) expect(fileHolds(file, canary), file).toBe(false);
  for (const dir of profiles) rmSync(dir, { recursive: true });
});

test("pages and answers that carry names tell the browser's HTTP cache not to keep them", async ({ request }) => {
  const room = newRoom();
  const checkIn = await request.post(`/api/rooms/${room}/check-in`, { data: { name: `Pat ${newCanary()}` } });
  expect(checkIn.ok()).toBe(true);
  for (const res of [checkIn, await request.get(`/r/${room}`), await request.get("/provider"), await request.get(`/api/rooms/${room}/me`)]) {
    expect(res.headers()["cache-control"], res.url()).toContain("no-store");
  }
});
