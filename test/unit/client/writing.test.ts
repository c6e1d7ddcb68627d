import { describe, expect, it } from "vitest";
import type { PatientClient } from "../../../client/patient/patient-client";
import type { RoomClient } from "../../../client/room/room-client";
import type { Identity } from "../../../worker/room/people";
import type { Room } from "../../../worker/room/room";
import { setup } from "../../support/fakes";
import { flushAll, LivePage, patientPage } from "../../support/page";

// Writing from a patient's page, and keeping it across a reset, with either
// client a patient's page can run: the dashboard's RoomClient (as the fault
// simulation runs it) and the patient page's own PatientClient. Both talk
// to the real room here.

type PatientPageMaker = (room: () => Room, identity: Identity) => LivePage<RoomClient | PatientClient, unknown>;

const clients: [string, PatientPageMaker][] = [
  ["the room client", (room, identity) => new LivePage(room, identity)],
  ["the patient's own client", patientPage],
];

describe.each(clients)("writing from a patient's page with %s", (_name, page) => {
  /** A host page and Ana's page, both connected. */
  function connected() {
    const t = setup();
    const staff = new LivePage(() => t.room, t.staffIdentity("Dr. Rivera")).connect();
    const ana = page(() => t.room, t.checkIn("Ana Lima")).connect();
    flushAll(staff, ana);
    return { t, staff, ana, c: ana.identity.c! };
  }

  it("a message is pending until the room echoes it, then in every copy once", () => {
    const { staff, ana, c } = connected();

    ana.client.write(c, "Hello");
    expect(ana.client.get(c)?.pending.value.map((p) => p.text)).toEqual(["Hello"]);
    flushAll(staff, ana);

    expect(ana.client.get(c)?.pending.value).toEqual([]);
    expect(ana.texts(c)).toEqual(["Hello"]);
    expect(staff.texts(c)).toEqual(["Hello"]);
  });

  it("what is written before the first welcome goes out once the page is welcomed", () => {
    const t = setup();
    const staff = new LivePage(() => t.room, t.staffIdentity("Dr. Rivera")).connect();
    const ana = page(() => t.room, t.checkIn("Ana Lima"));
    const c = ana.identity.c!;

    ana.client.write(c, "Written while the page loads");
    ana.connect();
    flushAll(staff, ana);

    expect(staff.texts(c)).toEqual(["Written while the page loads"]);
    expect(ana.client.busy).toBe(false);
  });

  it("a message whose echo was lost is sent again on reconnect and kept once", () => {
    const { staff, ana, c } = connected();
    ana.client.write(c, "Did this arrive?");
    ana.drop(); // the room has it; its echo is lost

    ana.connect();
    flushAll(staff, ana);

    expect(ana.texts(c)).toEqual(["Did this arrive?"]);
    expect(staff.texts(c)).toEqual(["Did this arrive?"]);
    expect(ana.client.busy).toBe(false);
  });

  it("after a reset the pages hand back their copies, are busy until the room has them all, and every copy is whole again", () => {
    const { t, staff, ana, c } = connected();
    ana.client.write(c, "Before the reset");
    flushAll(staff, ana);
    staff.drop();
    ana.client.write(c, "Only Ana's page has this");
    flushAll(ana);
    t.reset();
    ana.drop();

    ana.connect();
    expect(ana.client.busy).toBe(false);
    staff.connect();
    flushAll(staff, ana);

    expect(ana.texts(c)).toEqual(["Before the reset", "Only Ana's page has this"]);
    expect(staff.texts(c)).toEqual(["Before the reset", "Only Ana's page has this"]);
    expect(staff.client.busy || ana.client.busy).toBe(false);
    expect(staff.events.filter((e) => e.type === "patient_left")).toEqual([]);
  });
});
