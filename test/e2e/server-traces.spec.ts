import { readFileSync } from "node:fs";
import { resolve, sep } from "node:path";
import { expect, test } from "@playwright/test";
import { serverLogFile, serverStateDir } from "../../playwright.config";
import { chatWithCanary, closeAndLeave, downloadChat, fileHolds, filesUnder, newCanary, newRoom } from "./fixtures";

/** Where `wrangler dev` / `npm start` would keep local state, if anything ever ran that way here. */
const wranglerDir = resolve(import.meta.dirname, "../../.wrangler");

/** This room's audit lines from the server log, parsed. */
function auditLines(room: string): Record<string, unknown>[] {
  return readFileSync(serverLogFile, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{") && line.includes(`"room":"${room}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test("after a whole chat, the server's log and its storage on disk hold no message text or names", async ({ browser }) => {
  const room = newRoom();
  const canary = newCanary();
  const chat = await chatWithCanary(browser, room, canary);
  await downloadChat(chat.provider, chat.patientName);
  await closeAndLeave(chat);

  // The log file does capture the worker's output: this room's audit trail reached it, ids only.
  await expect.poll(() => auditLines(room).map((line) => line.audit)).toEqual(expect.arrayContaining(["joined", "downloaded", "erased", "left"]));
  for (const line of auditLines(room)) expect(Object.keys(line).sort()).toEqual(["at", "audit", "participant", "role", "room"]);
  expect(fileHolds(serverLogFile, canary)).toBe(false);

  // The rooms' Durable Object storage is in the state folder, so anything a room wrote would be here.
  const files = [...filesUnder(serverStateDir), ...filesUnder(wranglerDir)];
  expect(files.filter((f) => f.includes(`${sep}do${sep}`) && f.endsWith(".sqlite")).length).toBeGreaterThan(0);
  for (const file of files) expect(fileHolds(file, canary), file).toBe(false);
});
