import { describe, expect, it } from "vitest";
import { FILES } from "../../../protocol/files";
import type { SharedFile } from "../../../client/room/files";
import { setup } from "../../support/fakes";
import { FILE_ROOM, FakeUpload, testFile } from "../../support/files";
import { flushAll, LivePage } from "../../support/page";

// The room client's side of files, against the real room: what a page shows
// of a file (offered, gone, moving, saved) and its own offers, which it
// makes again when the room forgot them.

/** A host page and Ana's page, both connected. */
function connected() {
  const t = setup(FILE_ROOM);
  const staff = new LivePage(() => t.room, t.staffIdentity("Dr. Rivera")).connect();
  const ana = new LivePage(() => t.room, t.checkIn("Ana Lima")).connect();
  flushAll(staff, ana);
  return { t, staff, ana, c: ana.identity.c! };
}

const files = (page: LivePage, c: string) => page.client.get(c)?.files.value ?? [];
const states = (page: LivePage, c: string) => files(page, c).map((f) => [f.info.name, f.state.value]);

/** A page attaches and offers a file (its SHA-256 already known, as after hashing). */
function attach(page: LivePage, c: string, name = "scan.pdf", size = 1_000, sha256 = "ab".repeat(32)): SharedFile {
  const conv = page.client.get(c)!;
  const file = page.client.files.attach(conv, name, size, Date.now());
  page.client.files.offer(file, sha256);
  return file;
}

describe("offering", () => {
  it("a file is preparing, then offering, then offered with the room's id; the staff page shows it once", () => {
    const { staff, ana, c } = connected();
    const conv = ana.client.get(c)!;

    const file = ana.client.files.attach(conv, "scan.pdf", 1_000, Date.now());
    expect(file.state.value).toBe("preparing");
    ana.client.files.offer(file, "ab".repeat(32));
    expect(file.state.value).toBe("offering");
    flushAll(staff, ana);

    expect(file.state.value).toBe("offered");
    expect(file.id.value).not.toBe("");
    expect(states(staff, c)).toEqual([["scan.pdf", "offered"]]);
    expect(files(staff, c)[0]).toMatchObject({ by: ana.identity.id, name: "Ana Lima", role: "patient", cid: file.cid });
  });

  it("a file the room refuses is gone with the room's reason, and is not offered again on reconnect", () => {
    const { staff, ana, c } = connected();

    const file = attach(ana, c, "huge.iso", FILES.maxBytes + 1);
    flushAll(staff, ana);
    ana.drop().connect();
    flushAll(staff, ana);

    expect(file.state.value).toBe("gone");
    expect(file.reason.value).toBe("Files can be at most 200 MB.");
    expect(files(staff, c)).toEqual([]);
  });

  it("after a blip the page offers its files again, and every page keeps one entry for each, in its place", () => {
    const { staff, ana, c } = connected();
    const file = attach(ana, c);
    flushAll(staff, ana);
    const before = file.id.value;
    ana.client.write(c, "Did you get it?");
    flushAll(staff, ana);

    ana.drop();
    flushAll(staff);
    expect(states(staff, c)).toEqual([["scan.pdf", "gone"]]);
    ana.connect();
    flushAll(staff, ana);

    expect(file.id.value).not.toBe(before);
    expect(states(staff, c)).toEqual([["scan.pdf", "offered"]]);
    expect(staff.client.get(c)!.timeline().map((e) => e.kind)).toEqual(["event", "file", "message"]);
    expect(states(ana, c)).toEqual([["scan.pdf", "offered"]]);
  });

  it("after a blip the room did not notice (its old socket closes only when the page is back), the page still sends its file when asked", () => {
    const { t, staff, ana, c } = connected();
    const file = attach(ana, c);
    flushAll(staff, ana);
    const asked: string[] = [];
    ana.client.files.onUpload = (f) => asked.push(f.cid);

    ana.connect();
    flushAll(staff, ana);
    t.room.download(staff.identity, files(staff, c)[0].id.value, "l1");
    flushAll(staff, ana);

    expect(file.state.value).toBe("offered");
    expect(states(staff, c)).toEqual([["scan.pdf", "offered"]]);
    expect(asked).toEqual([file.cid]);
  });

  it("a staff page that resumes after a blip learns which offers went while it was away", () => {
    const { staff, ana, c } = connected();
    attach(ana, c);
    flushAll(staff, ana);

    staff.drop();
    ana.client.files.cancel(files(ana, c)[0]);
    flushAll(ana);
    staff.connect();
    flushAll(staff, ana);

    expect(states(staff, c)).toEqual([["scan.pdf", "gone"]]);
  });

  it("after a reset, others' offers are gone until their pages offer them again", () => {
    const { t, staff, ana, c } = connected();
    attach(ana, c);
    flushAll(staff, ana);

    t.reset();
    staff.drop().connect();
    expect(states(staff, c)).toEqual([["scan.pdf", "gone"]]);
    ana.drop().connect();
    flushAll(staff, ana);

    expect(states(staff, c)).toEqual([["scan.pdf", "offered"]]);
  });

  it("closing the chat erases its files on every page, and the sender does not offer them again", () => {
    const { staff, ana, c } = connected();
    attach(ana, c);
    flushAll(staff, ana);

    staff.client.close(c);
    flushAll(staff, ana);
    ana.drop().connect();
    flushAll(staff, ana);

    expect(files(staff, c)).toEqual([]);
    expect(files(ana, c)).toEqual([]);
  });
});

describe("moving", () => {
  it("the sender's page is asked to upload; both pages follow the transfer to who saved it", async () => {
    const { t, staff, ana, c } = connected();
    const bytes = testFile(3 * FILES.chunkBytes);
    const file = attach(ana, c, "scan.pdf", bytes.size, bytes.sha256);
    const asked: string[] = [];
    ana.client.files.onUpload = (f, transfer) => asked.push(`${f.cid}:${transfer}`);
    flushAll(staff, ana);
    const seen = files(staff, c)[0];

    const result = t.room.download(staff.identity, seen.id.value, "l1");
    flushAll(staff, ana);
    expect(asked).toHaveLength(1);
    expect(file.moving.map((m) => m.to.name)).toEqual(["Dr. Rivera"]);
    new FakeUpload().open(t.room.uploadFor(ana.identity, asked[0].split(":")[1])!, bytes.bytes);
    if (result.ok) await result.stream.pipeTo(new WritableStream());
    flushAll(staff, ana);

    expect(file.savedBy).toEqual(["Dr. Rivera"]);
    expect(file.moving).toEqual([]);
    expect(seen.transfers.value.map((v) => v.state)).toEqual(["saved"]);
  });
});
