import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  addParticipant,
  chatBox,
  checkInFrom,
  createGroup,
  downloadChat,
  log,
  newRoom,
  openChat,
  openStaffChat,
  participants,
  providerLink,
  send,
  SECRET,
  signInProvider,
  staffItem,
  startTextOnlySession,
} from "./fixtures";

/** A local server of our own (the built worker in workerd), so this test can stop and restart it. */
class LocalServer {
  private child?: ChildProcess;
  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ["test/harness/server.ts"], {
      env: { ...process.env, PORT: String(this.port), SESSION_SECRET: SECRET, LEAVE_GRACE_SECONDS: "60" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    this.child = child;
    let out = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("test server on")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`the server exited with ${code}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

async function page(browser: Browser, baseURL: string): Promise<Page> {
  return (await browser.newContext({ baseURL })).newPage();
}

const reconnecting = (p: Page) => p.getByText(/Connecting|Reconnecting/);

let server: LocalServer;
test.beforeEach(async () => {
  server = new LocalServer(await freePort());
  await server.start();
});
test.afterEach(async () => server.stop());

test("after the server restarts mid-conversation, both sides show every message once and the download holds them all", async ({ browser }) => {
  test.setTimeout(60_000);
  const room = newRoom();
  const provider = await page(browser, server.url);
  // A controllable clock, so the heartbeat's 25 s of silence can pass at once.
  await provider.clock.install();
  await provider.goto(await providerLink(room));
  await expect(provider.getByRole("heading", { name: "Patient queue" })).toBeVisible();
  const ana = await page(browser, server.url);
  await ana.goto(`/r/${room}`);
  await ana.getByRole("textbox", { name: "Your name" }).fill("Ana Lima");
  await ana.getByRole("button", { name: "Check in" }).click();
  await send(ana, "Before the restart, from Ana");
  await openChat(provider, "Ana Lima");
  const box = chatBox(provider, "Ana Lima");
  await send(provider, "Before the restart, from the provider", box);
  await expect(log(ana)).toContainText("Before the restart, from the provider");
  // The provider's network drops; Ana's next message reaches only the room and her page.
  await provider.context().setOffline(true);
  // No close event comes on a dead network: the heartbeat notices the silence.
  await provider.clock.fastForward("00:30");
  await expect(reconnecting(provider)).toBeVisible();
  await send(ana, "Sent while the provider was offline");
  await expect(log(ana).getByText("sending…")).toHaveCount(0);

  // The server restarts: the room's memory is gone; only the browsers hold the conversation.
  await server.stop();
  await expect(reconnecting(ana)).toBeVisible({ timeout: 35_000 });
  await expect(reconnecting(provider)).toBeVisible({ timeout: 35_000 });
  // Typed while the server is down: kept, visibly pending.
  await send(ana, "Typed while the server was down");
  await expect(log(ana).getByText("sending…")).toBeVisible();

  await server.start();
  await provider.context().setOffline(false);
  await expect(reconnecting(ana)).toHaveCount(0, { timeout: 30_000 });
  await expect(reconnecting(provider)).toHaveCount(0, { timeout: 30_000 });
  await expect(log(box)).toContainText("Typed while the server was down");
  await expect(log(ana).getByText("sending…")).toHaveCount(0);
  await send(provider, "After the restart, from the provider", box);
  await expect(log(ana)).toContainText("After the restart, from the provider");

  const all = [
    "Before the restart, from Ana",
    "Before the restart, from the provider",
    "Sent while the provider was offline",
    "Typed while the server was down",
    "After the restart, from the provider",
  ];
  for (const p of [log(ana), log(box)]) {
    for (const text of all) await expect(p.getByText(text, { exact: true })).toHaveCount(1);
    await expect(p.getByRole("listitem").filter({ hasText: /restart|was down|offline/ })).toHaveText(all.map((t) => new RegExp(t)));
  }
  const { text } = await downloadChat(provider, "Ana Lima");
  const said = text.split("\n").filter((l) => / \[(Patient|Host)\] /.test(l)).map((l) => l.replace(/^.*?\] [^:]+: /, ""));
  expect(said).toEqual(all);
});

test("after the server restarts, a staff group comes back whole on its members' pages, with what was sent while one was offline or the server down", async ({ browser }) => {
  test.setTimeout(90_000);
  const room = newRoom();
  const smith = await page(browser, server.url);
  await signInProvider(smith, await providerLink(room, "Dr. Smith"));
  const rivera = await page(browser, server.url);
  await rivera.clock.install();
  await signInProvider(rivera, await providerLink(room, "Dr. Rivera"));
  const box = await createGroup(smith, "Ward team", ["Dr. Rivera"]);
  await send(smith, "Before the restart, from Dr. Smith", box);
  const theirs = await openStaffChat(rivera, "Ward team");
  await send(rivera, "Before the restart, from Dr. Rivera", theirs);
  await expect(log(box)).toContainText("Before the restart, from Dr. Rivera");

  // Dr. Rivera's network drops; the heartbeat notices the silence.
  await rivera.context().setOffline(true);
  await rivera.clock.fastForward("00:30");
  await expect(reconnecting(rivera)).toBeVisible();
  await send(smith, "Sent while Dr. Rivera was offline", box);
  await expect(log(box).getByText("sending…")).toHaveCount(0);

  // The room's memory goes; only the two pages hold the group and its messages.
  await server.stop();
  await expect(reconnecting(smith)).toBeVisible({ timeout: 35_000 });
  await send(smith, "Typed while the server was down", box);
  await expect(log(box).getByText("sending…")).toBeVisible();

  await server.start();
  await rivera.context().setOffline(false);
  await expect(reconnecting(smith)).toHaveCount(0, { timeout: 30_000 });
  await expect(reconnecting(rivera)).toHaveCount(0, { timeout: 30_000 });
  await expect(log(theirs)).toContainText("Typed while the server was down");
  await send(rivera, "After the restart, from Dr. Rivera", theirs);
  await expect(log(box)).toContainText("After the restart, from Dr. Rivera");

  const all = [
    "Before the restart, from Dr. Smith",
    "Before the restart, from Dr. Rivera",
    "Sent while Dr. Rivera was offline",
    "Typed while the server was down",
    "After the restart, from Dr. Rivera",
  ];
  for (const p of [log(box), log(theirs)]) await expect(p.getByRole("listitem")).toHaveText(all.map((t) => new RegExp(t)));
  await expect(staffItem(rivera, "Ward team")).toBeVisible();
  const { text } = await downloadChat(rivera, "Ward team");
  expect(text).toContain("  Host: Dr. Smith\n  Host: Dr. Rivera\n");
  expect(text.split("\n").filter((l) => / \[Host\] /.test(l)).map((l) => l.replace(/^.*?\] [^:]+: /, ""))).toEqual(all);
});

/** Someone joins by access code on the join page of the server under test. */
async function joinAt(browser: Browser, baseURL: string, code: string, name: string): Promise<Page> {
  const guest = await page(browser, baseURL);
  await guest.goto("/join");
  await guest.getByRole("textbox", { name: "Access code" }).fill(code);
  await guest.getByRole("textbox", { name: "Your name" }).fill(name);
  await guest.getByRole("button", { name: "Join", exact: true }).click();
  await expect(guest.getByRole("heading", { name: "Text-only session with your provider" })).toBeVisible();
  return guest;
}

test("after the server restarts, the host's page brings a group session back: the guest is in it again, its access code still works, and a deleted message stays deleted", async ({ browser }) => {
  test.setTimeout(90_000);
  const room = newRoom();
  const host = await page(browser, server.url);
  await signInProvider(host, await providerLink(room, "Dr. Smith"));
  const ana = await page(browser, server.url);
  await checkInFrom(ana, room, "Ana Lima");
  const box = await startTextOnlySession(host, "Ana Lima");
  const { shown, dialog } = await addParticipant(host, "Ana Lima");
  await dialog.getByRole("button", { name: "Done" }).click();
  const grace = await joinAt(browser, server.url, shown, "Grace Interpreter");
  await send(ana, "A detail to delete");
  await send(grace, "Before the restart, from Grace");
  await log(box).getByRole("listitem").filter({ hasText: "A detail to delete" }).getByRole("button", { name: "Delete message" }).click();
  await host.getByRole("dialog", { name: "Delete this message?" }).getByRole("button", { name: "Delete" }).click();
  for (const p of [host, ana, grace]) await expect(log(p).getByText("Message deleted")).toBeVisible();

  await server.stop();
  for (const p of [host, ana, grace]) await expect(reconnecting(p)).toBeVisible({ timeout: 35_000 });
  await server.start();

  for (const p of [host, ana, grace]) await expect(reconnecting(p)).toHaveCount(0, { timeout: 40_000 });
  await expect(participants(box).getByRole("listitem").filter({ hasText: "Grace Interpreter" })).not.toContainText("not connected", { timeout: 20_000 });
  await send(host, "After the restart, from the host", box);
  for (const p of [ana, grace]) await expect(log(p)).toContainText("After the restart, from the host");
  for (const p of [host, ana, grace]) {
    await expect(log(p)).not.toContainText("A detail to delete");
    await expect(log(p).getByText("Message deleted")).toHaveCount(1);
    await expect(log(p).getByText("Before the restart, from Grace", { exact: true })).toHaveCount(1);
  }
  const omar = await joinAt(browser, server.url, shown, "Omar Brother");
  await expect(participants(omar)).toContainText("Grace Interpreter");
});
