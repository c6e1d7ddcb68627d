import { afterEach, describe, expect, it, vi } from "vitest";
import { transcriptOf } from "../../../client/provider/download";
import { TYPING } from "../../../protocol/wire";
import { settled, setup } from "../../support/fakes";
import { flushAll, LivePage } from "../../support/page";

// The room client in a group session, against the real room: the pages of
// a host, a patient and a guest who joined by code.

/** Dr. Rivera (host) and Ana's page in a session; a code made and Grace's page joined by it. */
async function groupSession() {
  const t = setup();
  const host = new LivePage(() => t.room, t.staffIdentity("Dr. Rivera")).connect();
  const ana = new LivePage(() => t.room, t.checkIn("Ana Lima")).connect();
  const c = ana.identity.c!;
  flushAll(host, ana);
  host.client.send({ type: "start_session", c });
  host.client.send({ type: "new_code", c });
  await settled();
  flushAll(host, ana);
  const code = host.client.get(c)!.code.value!.code;
  const grace = new LivePage(() => t.room, (await t.joinIdentity(code, "Grace Interpreter"))).connect();
  flushAll(host, ana, grace);
  return { t, host, ana, grace, c, code };
}

const eventTexts = (page: LivePage, c: string) => page.client.get(c)?.events.value.map((e) => e.text) ?? [];

afterEach(() => vi.useRealTimers());

describe("the participant list on each page", () => {
  it("every page holds the list and who is connected; the others' pages say who joined", async () => {
    const { host, ana, grace, c } = await groupSession();

    for (const page of [host, ana, grace]) {
      expect(page.client.get(c)?.roster.value?.members.map((m) => m.name)).toEqual(["Ana Lima", "Dr. Rivera", "Grace Interpreter"]);
      expect(page.client.get(c)?.online.value).toHaveLength(3);
    }
    expect(eventTexts(host, c)).toContain("Grace Interpreter joined");
    expect(eventTexts(ana, c)).toContain("Grace Interpreter joined");
    expect(eventTexts(grace, c)).toEqual([]);
  });

  it("a staff page opened later tells the session's story from its list: who joined, left and was removed", async () => {
    const { t, host, ana, grace, c, code } = await groupSession();
    const omar = new LivePage(() => t.room, (await t.joinIdentity(code, "Omar Brother", "198.51.100.8"))).connect();
    flushAll(host, ana, grace, omar);
    omar.client.send({ type: "leave_session", c });
    host.client.send({ type: "remove", c, id: grace.identity.id });
    flushAll(host, ana, grace, omar);

    const later = new LivePage(() => t.room, t.staffIdentity("Dr. Okafor")).connect();

    expect(eventTexts(later, c)).toEqual(expect.arrayContaining(["Grace Interpreter joined", "Omar Brother joined", "Omar Brother left", "Grace Interpreter was removed"]));
  });
});

describe("deleting on the pages", () => {
  it("a deleted message leaves every copy and its place shows in the timeline", async () => {
    const { host, ana, grace, c } = await groupSession();
    grace.client.write(c, "Misheard, ignore");
    ana.client.write(c, "Understood");
    flushAll(host, ana, grace);
    const seq = grace.client.get(c)!.messages.value[0]!.seq;

    grace.client.send({ type: "delete", c, seq });
    flushAll(host, ana, grace);

    for (const page of [host, ana, grace]) {
      expect(page.texts(c)).toEqual(["Understood"]);
      expect(page.client.get(c)!.timeline().filter((i) => i.kind !== "event").map((i) => i.kind)).toEqual(["deleted", "message"]);
    }
    expect(host.events.filter((e) => e.type === "deleted")).toHaveLength(1);
  });

  it("after a restart, the pages hand back the tombstone, the list and the code: nothing deleted comes back and the code still works", async () => {
    const { t, host, ana, grace, c, code } = await groupSession();
    ana.client.write(c, "Please delete");
    flushAll(host, ana, grace);
    const seq = ana.client.get(c)!.messages.value.at(-1)!.seq;
    grace.drop(); // Grace's page keeps the message: it misses the deletion
    host.client.send({ type: "delete", c, seq });
    flushAll(host, ana);
    t.reset();
    t.resetDirectory();

    for (const page of [host, ana]) page.drop().connect();
    flushAll(host, ana);
    await settled();
    grace.connect();
    flushAll(host, ana, grace);

    for (const page of [host, ana, grace]) expect(page.texts(c)).not.toContain("Please delete");
    expect((await t.directory.redeem(code, "Omar Brother", "198.51.100.9")).ok).toBe(true);
    expect(grace.client.get(c)?.roster.value?.members.map((m) => m.name)).toContain("Grace Interpreter");
  });
});

describe("typing on the pages", () => {
  it("shows who is typing for a few seconds, again when they type again, and not once they wrote", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { t, host, ana, grace, c } = await groupSession();
    const typing = (page: LivePage) => page.client.get(c)!.typing.value.map((who) => who.name);

    grace.client.typing(c);
    flushAll(host, ana, grace);
    expect(typing(host)).toEqual(["Grace Interpreter"]);
    expect(typing(ana)).toEqual(["Grace Interpreter"]);
    expect(typing(grace)).toEqual([]);
    vi.advanceTimersByTime(TYPING.showForMs);
    t.clock.advance(TYPING.showForMs);
    expect(typing(host)).toEqual([]);

    grace.client.typing(c);
    flushAll(host, ana, grace);
    expect(typing(host)).toEqual(["Grace Interpreter"]);
    grace.client.write(c, "Done typing");
    flushAll(host, ana, grace);
    expect(typing(host)).toEqual([]);
  });

  it(`a page says its person is typing at most every ${TYPING.sendEveryMs / 1000} s`, async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { grace, c } = await groupSession();
    const sent: string[] = [];
    const socket = grace.socket!;
    const receive = socket.socket.receive.bind(socket.socket);
    socket.socket.receive = (data: unknown) => {
      if (typeof data === "string" && data.includes('"typing"')) sent.push(data);
      receive(data);
    };

    for (let i = 0; i < 10; i++) grace.client.typing(c);
    vi.advanceTimersByTime(TYPING.sendEveryMs);
    grace.client.typing(c);
    expect(sent).toHaveLength(2);
    // A message ends the notice on the other pages: the next keystroke says so again at once.
    grace.client.write(c, "Said it");
    grace.client.typing(c);
    expect(sent).toHaveLength(3);
  });
});

describe("chat-history.txt of a group session", () => {
  it("names every participant with their role, and tells joins, removals and deletions as events, never a deleted text", async () => {
    const { host, ana, grace, c } = await groupSession();
    grace.client.write(c, "A slip to delete");
    flushAll(host, ana, grace);
    host.client.send({ type: "delete", c, seq: host.client.get(c)!.messages.value.at(-1)!.seq });
    host.client.send({ type: "remove", c, id: grace.identity.id });
    flushAll(host, ana, grace);

    const text = transcriptOf({ room: "clinic", id: host.identity.id, name: "Dr. Rivera", role: "host" }, host.client.get(c)!, () => 0);

    expect(text).toContain("Participants:\n  Host: Dr. Rivera\n  Patient: Ana Lima\n  Guest: Grace Interpreter\nStarted:");
    expect(text).toMatch(/Z? \* Grace Interpreter joined\n.* \* message deleted by Dr\. Rivera\n.* \* Grace Interpreter was removed\n/);
    expect(text).not.toContain("A slip to delete");
    expect(text).toContain("\nMessages: 0\n");
  });
});
