import { expect, test } from "@playwright/test";
import { chatBox, checkIn, log, newRoom, openChat, openProvider } from "./fixtures";
import { attach, makeFile, removeTestFiles, savedSha256, startDownload } from "./file-fixtures";

test.afterAll(removeTestFiles);

test("a provider's file reaches the patient, who saves the same bytes; the provider sees it saved", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room, "Dr. Smith");
  const patient = await checkIn(browser, room, "Alice");
  await openChat(provider, "Alice");
  const box = chatBox(provider, "Alice");
  const file = makeFile("discharge-notes.pdf", 3 * 1024 * 1024 + 17);

  await attach(box, file);

  await expect(log(patient)).toContainText("discharge-notes.pdf · 3.1 MB");
  const download = await startDownload(patient, log(patient), "discharge-notes.pdf");
  expect(download.suggestedFilename()).toBe("discharge-notes.pdf");
  expect(await savedSha256(download)).toBe(file.sha256);
  await expect(log(box)).toContainText("Saved by Alice");
});
