import { expect, test } from "@playwright/test";
import { chatBox, checkIn, checkInFrom, createGroup, downloadChat, log, newRoom, openChat, openProvider, openStaff, openStaffChat, queue, send } from "./fixtures";
import { attach, chatting, emptyFile, makeFile, removeTestFiles, savedSha256, startDownload } from "./file-fixtures";

// Files in every chat: offered with "Attach file" (or dropped on the chat),
// downloaded by the recipient's browser, never kept by the server.
test.afterAll(removeTestFiles);

const MB = 1_000_000;

test("a provider's file reaches the patient, who saves the same bytes; the provider sees who saved it", async ({ browser }) => {
  const { patient, box } = await chatting(browser);
  const file = makeFile("discharge-notes.pdf", 3 * MB + 17);

  await attach(box, file);

  await expect(log(patient)).toContainText("discharge-notes.pdf · 3 MB");
  const download = await startDownload(patient, log(patient), "discharge-notes.pdf");
  expect(download.suggestedFilename()).toBe("discharge-notes.pdf");
  expect(await savedSha256(download)).toBe(file.sha256);
  await expect(log(box)).toContainText("Saved by Alice");
});

test("a file over 200 MB is refused before anything moves, and the sender is told why in plain words", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room, "Dr. Smith");
  const patient = await (await browser.newContext()).newPage();
  const sent: string[] = [];
  const sockets: string[] = [];
  patient.on("websocket", (ws) => {
    sockets.push(new URL(ws.url()).pathname);
    ws.on("framesent", ({ payload }) => void sent.push(typeof payload === "string" ? payload : `(${payload.length} binary bytes)`));
  });
  await checkInFrom(patient, room, "Alice");
  await openChat(provider, "Alice");

  await attach(patient, emptyFile("whole-body-scan.dcm", 201 * MB));

  await expect(log(patient).getByRole("alert")).toHaveText("Not sent: Files can be at most 200 MB, and this one is 201 MB.");
  await expect(log(patient)).toContainText("whole-body-scan.dcm · 201 MB");
  // Still nothing after a message sent later has arrived.
  await patient.getByRole("textbox", { name: "Message" }).fill("Did my scan arrive?");
  await patient.getByRole("button", { name: "Send" }).click();
  await expect(log(chatBox(provider, "Alice"))).toContainText("Did my scan arrive?");
  await expect(log(chatBox(provider, "Alice"))).not.toContainText("whole-body-scan");
  expect(sent.filter((frame) => !frame.startsWith('{"type":"hello"') && !frame.startsWith('{"type":"pong"') && !frame.startsWith('{"type":"send"') && !frame.startsWith('{"type":"typing"'))).toEqual([]);
  expect(sockets).toEqual([`/api/rooms/${room}/ws`]);
});

test("an offer waits while the recipient is not connected, and the sender is told so; the recipient gets it on arrival", async ({ browser }) => {
  const room = newRoom();
  const patient = await checkIn(browser, room, "Alice");
  const file = makeFile("insurance-card.jpg", 200_000);

  await attach(patient, file);

  await expect(log(patient).getByRole("status")).toHaveText("Waiting for your provider to connect. The file stays on offer while this page is open.");
  const provider = await openProvider(browser, room, "Dr. Smith");
  await expect(log(patient).getByRole("status")).toHaveCount(0);
  await openChat(provider, "Alice");
  const box = chatBox(provider, "Alice");
  expect(await savedSha256(await startDownload(provider, log(box), "insurance-card.jpg"))).toBe(file.sha256);
  await expect(log(patient)).toContainText("Saved by Dr. Smith");
});

test("a file from a patient whose chat is not in view raises their unread counter, as a message does", async ({ browser }) => {
  const room = newRoom();
  const provider = await openProvider(browser, room, "Dr. Smith");
  const patient = await checkIn(browser, room, "Alice");

  await attach(patient, makeFile("photo-of-rash.jpg", 80_000));

  await expect(queue(provider).getByRole("listitem").filter({ hasText: "Alice" }).getByText("1 unread message")).toBeVisible();
  await openChat(provider, "Alice");
  await expect(log(chatBox(provider, "Alice")).getByRole("button", { name: "Download photo-of-rash.jpg" })).toBeVisible();
});

test("when the sender leaves, the offer is gone: the recipient can no longer download it", async ({ browser }) => {
  const { patient, box } = await chatting(browser);
  await attach(patient, makeFile("referral.pdf", 50_000));
  await expect(log(box).getByRole("button", { name: "Download referral.pdf" })).toBeVisible();

  await patient.getByRole("button", { name: "Leave waiting room" }).click();

  await expect(log(box)).toContainText("No longer offered");
  await expect(log(box).getByRole("button", { name: "Download referral.pdf" })).toHaveCount(0);
});

test("files move in a text-only session and in a chat between two colleagues, as in the waiting room", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const desk = await openStaff(browser, room, "Sam Desk", "staff");
  const alice = await checkIn(browser, room, "Alice");
  await smith.getByRole("button", { name: "More actions for Alice" }).click();
  await smith.getByRole("menuitem", { name: "Start text-only session" }).click();
  await expect(alice.getByRole("heading", { name: "Text-only session with your provider" })).toBeVisible();
  const session = chatBox(smith, "Alice");
  const aftercare = makeFile("aftercare.pdf", 120_000);
  const roster = makeFile("roster.xlsx", 60_000);

  await attach(session, aftercare);
  expect(await savedSha256(await startDownload(alice, log(alice), "aftercare.pdf"))).toBe(aftercare.sha256);
  await expect(log(session)).toContainText("Saved by Alice");

  await attach(await openStaffChat(desk, "Dr. Smith"), roster);
  await smith.getByRole("button", { name: "Chat with Sam Desk", exact: true }).click();
  await smith.getByRole("dialog", { name: "Erase the chat with Alice?" }).getByRole("button", { name: "Erase chat" }).click();
  const direct = chatBox(smith, "Sam Desk");
  await expect(log(direct)).toContainText("roster.xlsx · 60 KB");
  expect(await savedSha256(await startDownload(smith, log(direct), "roster.xlsx"))).toBe(roster.sha256);
  await expect(log(chatBox(desk, "Dr. Smith"))).toContainText("Saved by Dr. Smith");
});

test("a colleague's file in a staff group reaches each member, and chat-history.txt lists it with its size and SHA-256, never its contents", async ({ browser }) => {
  const room = newRoom();
  const smith = await openStaff(browser, room, "Dr. Smith", "host");
  const desk = await openStaff(browser, room, "Sam Desk", "staff");
  const box = await createGroup(smith, "Ward team", ["Sam Desk"]);
  const file = makeFile("rota.csv", 40_000, "contents-never-in-the-history");

  await attach(box, file);

  const deskBox = await openStaffChat(desk, "Ward team");
  await expect(log(deskBox)).toContainText("rota.csv · 40 KB");
  expect(await savedSha256(await startDownload(desk, log(deskBox), "rota.csv"))).toBe(file.sha256);
  await expect(log(box)).toContainText("Saved by Sam Desk");
  const { text } = await downloadChat(smith, "Ward team");
  expect(text).toMatch(new RegExp(`\\n\\S+ \\* File from \\[Host\\] Dr\\. Smith: rota\\.csv \\(40,000 bytes, SHA-256 ${file.sha256}\\)\\n`));
  expect(text).not.toContain("contents-never-in-the-history");
});

test("a patient's file, once gone, stays in the provider's chat-history.txt as a line with its name and exact size, beside the messages", async ({ browser }) => {
  const { provider, patient, box } = await chatting(browser);
  const file = makeFile("Résumé scan.pdf", 1_234_567, "contents-never-in-the-history");
  await send(patient, "Here is my scan");
  await attach(patient, file);
  await expect(log(box)).toContainText("Résumé scan.pdf · 1.2 MB");
  await log(patient).getByRole("button", { name: "Cancel Résumé scan.pdf" }).click();
  await expect(log(box)).toContainText("No longer offered");

  const { text } = await downloadChat(provider, "Alice");

  const lines = text.split("\n");
  const said = lines.findIndex((line) => / \[Patient\] Alice: Here is my scan$/.test(line));
  expect(said).toBeGreaterThan(0);
  expect(lines[said + 1]).toMatch(new RegExp(`^\\S+ \\* File from \\[Patient\\] Alice: Résumé scan\\.pdf \\(1,234,567 bytes, SHA-256 ${file.sha256}\\)$`));
  expect(text).toContain("\nMessages: 1\nFiles: 1\n");
  expect(text).not.toContain("contents-never-in-the-history");
});

test("a file dropped on the patient's chat is offered as if attached", async ({ browser }) => {
  const { patient, box } = await chatting(browser);

  const drop = await patient.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(["blood pressure log\n120/80\n"], "bp-log.txt", { type: "text/plain" }));
    return data;
  });
  const chat = patient.getByRole("region", { name: "Chat with your provider" });
  await chat.dispatchEvent("dragover", { dataTransfer: drop });
  await chat.dispatchEvent("drop", { dataTransfer: drop });

  await expect(log(box)).toContainText("bp-log.txt · 26 bytes");
});
