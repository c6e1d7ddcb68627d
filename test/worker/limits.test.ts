/**
 * Bounds per person, whatever the number of pages (tabs) they open: a frame
 * budget (a burst, then a steady rate), a flood closes the socket, and a
 * person may have a few pages open at once. Nobody else is disturbed.
 */
import { afterEach, expect, it } from "vitest";
import { CLOSE, LIMITS, PROTOCOL_VERSION } from "../../protocol/wire";
import { closeAllSockets, connect, freshRoom, joinAsPatient, joinAsStaff, type Socket } from "./helpers";

afterEach(closeAllSockets);

/** Sends `count` pings at once and waits for the room to have answered all of them (or closed the socket). */
async function burst(page: Socket, count: number): Promise<{ pongs: number; refused: number }> {
  const from = page.mark();
  for (let i = 0; i < count; i++) page.send({ type: "ping" });
  const answered = () => page.received.slice(from).filter((m) => m.type === "pong" || (m.type === "error" && m.code === "rate_limited")).length;
  await page.waitFor(() => answered() >= count);
  const later = page.received.slice(from);
  return { pongs: later.filter((m) => m.type === "pong").length, refused: later.filter((m) => m.type === "error" && m.code === "rate_limited").length };
}

it("a person's frames are budgeted over all their pages together: past the burst they are refused as rate_limited, and others chat on", async () => {
  const room = freshRoom();
  const { socket: host } = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  const secondTab = await connect(room, ana.patient.cookie);
  await secondTab.hello();
  const bo = await joinAsPatient(room, "Bo Chen");

  const [first, second] = await Promise.all([burst(ana.socket, 20), burst(secondTab, 20)]);

  // The two hellos and 40 pings against a burst of 30 (and a little refill meanwhile).
  expect(first.refused + second.refused).toBeGreaterThanOrEqual(5);
  expect(first.pongs + second.pongs).toBeLessThanOrEqual(35);
  bo.socket.send({ type: "send", c: bo.patient.c, cid: "b1", text: "Hello" });
  expect(await host.waitForType("msg", (m) => m.cid === "b1")).toMatchObject({ c: bo.patient.c });
  expect(bo.socket.of("error")).toEqual([]);
});

it("a page that keeps sending after being refused is closed with 1008", async () => {
  const room = freshRoom();
  const { socket: host } = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");

  for (let i = 0; i < 120; i++) ana.socket.send({ type: "ping" });

  expect((await ana.socket.waitForClose()).code).toBe(CLOSE.policy);
  await host.waitForType("patient", (m) => m.patient.id === ana.patient.id && m.patient.status === "away");
});

it(`a person may have ${LIMITS.pagesPerPerson} pages open: one more is closed with 4005, and the others keep working`, async () => {
  const room = freshRoom();
  const { socket: host } = await joinAsStaff(room);
  const ana = await joinAsPatient(room, "Ana Lima");
  const pages = [ana.socket];
  for (let i = 1; i < LIMITS.pagesPerPerson; i++) {
    const page = await connect(room, ana.patient.cookie);
    await page.hello();
    pages.push(page);
  }

  const oneTooMany = await connect(room, ana.patient.cookie);
  // Pages are counted when they say hello (a socket lost without a close must not lock anyone out).
  oneTooMany.send({ type: "hello", v: PROTOCOL_VERSION, page: "one-too-many" });

  expect((await oneTooMany.waitForClose()).code).toBe(CLOSE.tooManyPages);
  pages.at(-1)!.send({ type: "send", c: ana.patient.c, cid: "a1", text: "Which tab is this?" });
  for (const page of pages) await page.waitForType("msg", (m) => m.cid === "a1");
  await host.waitForType("msg", (m) => m.cid === "a1");
});
