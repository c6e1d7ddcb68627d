import { expect, test } from "@playwright/test";
import { PROTOCOL_VERSION, type ServerMessage } from "../../protocol/wire";
import { chatBox, checkIn, newRoom, openChat, openStaff, queue } from "./fixtures";

// Three or four staff pages and patients per test: room for a busy machine.

test("a front-desk staff page has no session, group, scheduling or end-session controls; a host's page has them", async ({ browser }) => {
  const room = newRoom();
  const host = await openStaff(browser, room, "Dr. Smith", "host");
  const desk = await openStaff(browser, room, "Sam Desk", "staff");
  await checkIn(browser, room, "Alice");
  await expect(desk.getByText("Signed in as Sam Desk · Staff")).toBeVisible();

  for (const [page, items] of [[host, ["Chat", "Start text-only session"]], [desk, ["Chat"]]] as const) {
    await page.getByRole("button", { name: "More actions for Alice" }).click();
    await expect(page.getByRole("menuitem")).toHaveText([...items]);
    await page.keyboard.press("Escape");
  }
  await expect(host.getByRole("button", { name: "New group" })).toBeVisible();
  await expect(desk.getByRole("button", { name: "New group" })).toHaveCount(0);
  await expect(host.getByRole("heading", { name: "Schedule a text-only session" })).toBeVisible();
  await expect(desk.getByRole("heading", { name: "Schedule a text-only session" })).toHaveCount(0);

  await host.getByRole("button", { name: "More actions for Alice" }).click();
  await host.getByRole("menuitem", { name: "Start text-only session" }).click();
  await expect(chatBox(host, "Alice").getByRole("button", { name: "End session" })).toBeVisible();
  await expect(queue(desk)).toContainText("In a text-only session");
  await openChat(desk, "Alice");
  await expect(chatBox(desk, "Alice").getByText("Text-only session", { exact: true })).toBeVisible();
  await expect(chatBox(desk, "Alice").getByRole("button", { name: "Download chat" })).toBeVisible();
  await expect(chatBox(desk, "Alice").getByRole("button", { name: "End session" })).toHaveCount(0);
});

test("the room refuses host-only requests from a front-desk staff member's own socket", async ({ browser }) => {
  const room = newRoom();
  const host = await openStaff(browser, room, "Dr. Smith", "host");
  const desk = await openStaff(browser, room, "Sam Desk", "staff");
  const alice = await checkIn(browser, room, "Alice");
  await expect(queue(desk)).toContainText("Alice");

  // A socket of the staff member's own, on their sign-in, asking for what only a host may do.
  const errors = await desk.evaluate(
    async ({ room, v }) => {
      const ws = new WebSocket(`${location.origin.replace(/^http/, "ws")}/api/rooms/${room}/ws?as=staff`);
      const frames: ServerMessage[] = [];
      const next = (type: string) =>
        new Promise<ServerMessage>((resolve) => {
          const seen = frames.find((f) => f.type === type);
          if (seen) return resolve(seen);
          ws.addEventListener("message", function on(e) {
            const f = JSON.parse(e.data as string) as ServerMessage;
            if (f.type !== type) return;
            ws.removeEventListener("message", on);
            resolve(f);
          });
        });
      ws.addEventListener("message", (e) => frames.push(JSON.parse(e.data as string) as ServerMessage));
      await new Promise((resolve) => ws.addEventListener("open", resolve));
      ws.send(JSON.stringify({ type: "hello", v }));
      const queue = (await next("queue")) as Extract<ServerMessage, { type: "queue" }>;
      const staff = (await next("staff_list")) as Extract<ServerMessage, { type: "staff_list" }>;
      const c = queue.patients[0].c;
      const colleague = staff.members.find((m) => m.role === "host")!.id;
      const asked = [
        { type: "start_session", c },
        { type: "create_group", cid: "g1", title: "Desk group", members: [colleague] },
      ];
      const answers: string[] = [];
      for (const frame of asked) {
        const answer = next("error");
        ws.send(JSON.stringify(frame));
        answers.push(((await answer) as Extract<ServerMessage, { type: "error" }>).message);
        frames.length = 0;
      }
      ws.close();
      return answers;
    },
    { room, v: PROTOCOL_VERSION },
  );

  expect(errors).toEqual(["Only a provider with a host licence can do that.", "Only a provider with a host licence can do that."]);
  await expect(queue(host)).toContainText("Waiting");
  await expect(alice.getByRole("heading", { name: "Text-only session with your provider" })).toHaveCount(0);
  await expect(host.getByRole("list", { name: "Staff" })).not.toContainText("Desk group");
});
