import { describe, expect, it } from "vitest";
import { PatientClient } from "../../../client/patient/patient-client";
import type { ClientMessage } from "../../../protocol/wire";
import { setup } from "../../support/fakes";
import { flushAll, LivePage, patientPage } from "../../support/page";

// The patient's page runs its own room client, for its one conversation.
// Here it talks to the real room, with a staff page running the dashboard's.

/** A host page and Ana's page, both connected. */
function connected() {
  const t = setup();
  const staff = new LivePage(() => t.room, t.staffIdentity("Dr. Rivera")).connect();
  const ana = patientPage(() => t.room, t.checkIn("Ana Lima")).connect();
  flushAll(staff, ana);
  return { t, staff, ana, c: ana.identity.c! };
}

describe("the patient's page", () => {
  it("gets what it missed during a blip once, in order", () => {
    const { staff, ana, c } = connected();
    ana.drop();
    staff.client.write(c, "One");
    staff.client.write(c, "Two");
    flushAll(staff);

    ana.connect();
    flushAll(staff, ana);

    expect(ana.texts(c)).toEqual(["One", "Two"]);
  });

  it("knows whether staff is online", () => {
    const t = setup();
    const ana = patientPage(() => t.room, t.checkIn("Ana Lima")).connect();
    expect(ana.client.staffOnline.value).toBe(false);

    const staff = new LivePage(() => t.room, t.staffIdentity("Dr. Rivera")).connect();
    flushAll(staff, ana);

    expect(ana.client.staffOnline.value).toBe(true);
  });

  it("erases its copy when the provider closes the chat, and says so once", () => {
    const { staff, ana, c } = connected();
    ana.client.write(c, "Hello");
    flushAll(staff, ana);

    staff.client.close(c);
    flushAll(staff, ana);

    expect(ana.texts(c)).toEqual([]);
    expect(ana.events.filter((e) => e.type === "erased")).toHaveLength(1);
  });

  it("learns that a session started, and when it ends its messages are gone", () => {
    const { staff, ana, c } = connected();
    staff.client.send({ type: "start_session", c });
    flushAll(staff, ana);
    expect(ana.client.get(c)?.session.value).not.toBeNull();
    expect(ana.events.filter((e) => e.type === "session_started")).toHaveLength(1);
    ana.client.write(c, "In the session");
    flushAll(staff, ana);

    staff.client.send({ type: "end_session", c });
    flushAll(staff, ana);

    expect(ana.texts(c)).toEqual([]);
    expect(ana.events.some((e) => e.type === "session_ended")).toBe(true);
  });

  it("shows who is typing until they write", () => {
    const { staff, ana, c } = connected();
    staff.client.typing(c);
    flushAll(staff, ana);
    expect(ana.client.get(c)?.typing.value.map((t) => t.name)).toEqual(["Dr. Rivera"]);

    staff.client.write(c, "Hi Ana");
    flushAll(staff, ana);

    expect(ana.client.get(c)?.typing.value).toEqual([]);
  });

  it("says it is typing at most once every few seconds", () => {
    const sent: ClientMessage[] = [];
    const client = new PatientClient((msg) => sent.push(msg) > 0);
    client.own("c1");

    client.typing("c1");
    client.typing("c1");
    client.write("c1", "Done");
    client.typing("c1");

    expect(sent.map((f) => f.type)).toEqual(["typing", "send", "typing"]);
  });

  it("a message it deletes goes from both copies", () => {
    const { staff, ana, c } = connected();
    ana.client.write(c, "Oops");
    flushAll(staff, ana);
    const seq = ana.client.get(c)!.messages.value[0].seq;

    ana.client.send({ type: "delete", c, seq });
    flushAll(staff, ana);

    expect(ana.texts(c)).toEqual([]);
    expect(staff.texts(c)).toEqual([]);
  });

  it("a refused frame becomes a notice for the page", () => {
    const { ana, c } = connected();

    ana.client.send({ type: "start_session", c });
    flushAll(ana);

    expect(ana.events.some((e) => e.type === "notice")).toBe(true);
  });
});
