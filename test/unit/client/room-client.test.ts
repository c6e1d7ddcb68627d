import { describe, expect, it } from "vitest";
import { setup } from "../../support/fakes";
import { flushAll, LivePage } from "../../support/page";

// The room client is what both pages run: it turns the room's frames into
// conversations and events, keeps what is on its way, resumes after a blip
// and hands its copies back after a reset. Here it talks to the real room.

/** A host page and Ana's page, both connected. */
function connected() {
  const t = setup();
  const staff = new LivePage(() => t.room, t.staffIdentity("Dr. Rivera")).connect();
  const ana = new LivePage(() => t.room, t.checkIn("Ana Lima")).connect();
  flushAll(staff, ana);
  return { t, staff, ana, c: ana.identity.c! };
}

describe("writing", () => {
  it("tells the page about messages from others, not about its own", () => {
    const { staff, ana, c } = connected();

    ana.client.write(c, "From Ana");
    flushAll(staff, ana);
    staff.client.write(c, "From the host");
    flushAll(staff, ana);

    const messages = (page: LivePage) => page.events.flatMap((e) => (e.type === "message" ? [e.msg.text] : []));
    expect(messages(ana)).toEqual(["From the host"]);
    expect(messages(staff)).toEqual(["From Ana"]);
  });
});

describe("a message to everyone waiting", () => {
  it("lands in each waiting patient's conversation on a staff page, not in a text-only session", () => {
    const { t, staff, ana, c } = connected();
    const bo = new LivePage(() => t.room, t.checkIn("Bo Chen")).connect();
    flushAll(staff, ana, bo);
    staff.client.send({ type: "start_session", c: bo.identity.c! });
    flushAll(staff, ana, bo);

    staff.client.send({ type: "broadcast", cid: "all-1", text: "Running late" });
    flushAll(staff, ana, bo);

    expect(staff.texts(c)).toEqual(["Running late"]);
    expect(staff.texts(bo.identity.c!)).toEqual([]);
    expect(ana.texts(c)).toEqual(["Running late"]);
  });
});

describe("closing a chat", () => {
  it("erases it on the page and for everyone when no colleague has it open", () => {
    const { staff, ana, c } = connected();
    ana.client.write(c, "Hello");
    flushAll(staff, ana);

    staff.client.close(c);
    flushAll(staff, ana);

    expect(staff.texts(c)).toEqual([]);
    expect(ana.texts(c)).toEqual([]);
    expect(ana.events.filter((e) => e.type === "erased")).toHaveLength(1);
  });

  it("erases it for this person only when a colleague has it open, and it does not come back when the page resumes", () => {
    const { t, staff, ana, c } = connected();
    const sam = new LivePage(() => t.room, t.staffIdentity("Sam Front", "staff")).connect();
    ana.client.write(c, "Hello");
    flushAll(staff, ana, sam);
    sam.client.send({ type: "view", c });
    flushAll(staff, ana, sam);

    staff.client.close(c);
    flushAll(staff, ana, sam);
    staff.drop().connect();
    flushAll(staff, ana, sam);

    expect(staff.texts(c)).toEqual([]);
    expect(sam.texts(c)).toEqual(["Hello"]);
    expect(ana.texts(c)).toEqual(["Hello"]);
  });
});

describe("a reset", () => {
  it("a deleted group stays deleted: the owner's page hands back its tombstone", () => {
    const t = setup();
    const rivera = new LivePage(() => t.room, t.staffIdentity("Dr. Rivera")).connect();
    const sam = new LivePage(() => t.room, t.staffIdentity("Sam Front", "staff")).connect();
    flushAll(rivera, sam);
    rivera.client.send({ type: "create_group", cid: "g1", title: "Pair", members: [sam.identity.id] });
    flushAll(rivera, sam);
    const g = [...rivera.client.conversations.value.values()].find((conv) => conv.kind.value === "group")!.id;
    sam.drop(); // Sam's page misses the deletion
    rivera.client.send({ type: "delete_group", c: g });
    flushAll(rivera);
    expect(rivera.client.get(g)).toBeUndefined();
    t.reset();
    rivera.drop();

    rivera.connect();
    sam.connect();
    flushAll(rivera, sam);

    expect(sam.client.get(g)).toBeUndefined();
    expect(sam.events.filter((e) => e.type === "group_deleted")).toHaveLength(1);
  });
});
