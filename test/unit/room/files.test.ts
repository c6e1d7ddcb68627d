import { describe, expect, it } from "vitest";
import { FILES } from "../../../protocol/files";
import { TICK_MS } from "../../../worker/room/heartbeat";
import { setup } from "../../support/fakes";
import { declared, offer } from "../../support/files";

// Offers: who hears of a file, what the room refuses before a byte moves,
// and how long an offer lives (while the page that made it is open and its
// conversation holds it).

const MB = 1_000_000;

/** Dr. Rivera (host) and Sam (front desk) signed in, Ana and Bo waiting. */
function clinic() {
  const t = setup();
  const host = t.provider("Dr. Rivera");
  const desk = t.staff("Sam Front", "staff");
  const ana = t.patient("Ana Lima");
  const bo = t.patient("Bo Chen");
  return { t, host, desk, ana, bo };
}

/** One timer turn: the room notices what changed around its offers. */
const turn = (t: ReturnType<typeof setup>) => t.clock.advance(TICK_MS);

describe("offering a file", () => {
  it("a patient's offer reaches every staff page and their own, with the server's number, time and sender", () => {
    const { t, host, desk, ana } = clinic();
    t.clock.advance(1_000);

    const offered = offer(ana, ana.c, declared(120 * MB));

    const expected = { type: "file", c: ana.c, id: expect.any(String), cid: "f1", seq: expect.any(Number), by: ana.id, name: "Ana Lima", role: "patient", time: t.clock.now(), file: declared(120 * MB) };
    expect(offered).toEqual(expected);
    expect(host.last("file")).toEqual(expected);
    expect(desk.last("file")).toEqual(expected);
  });

  it("another patient hears nothing of it", () => {
    const { ana, bo } = clinic();

    offer(ana, ana.c, declared(1_000));

    expect(bo.of("file")).toEqual([]);
  });

  it("a file in a staff group reaches its members only", () => {
    const { t, host, desk, ana } = clinic();
    const other = t.staff("Dr. Okafor", "host");
    host.send({ type: "create_group", cid: "g1", title: "Desk", members: [desk.id] });
    const group = host.last("conversation")!.c;

    offer(host, group, declared(1_000));

    expect(desk.last("file")).toMatchObject({ c: group, by: host.id });
    expect(other.of("file")).toEqual([]);
    expect(ana.of("file")).toEqual([]);
  });

  it("offered again with the same client id (a resend), it is the same offer", () => {
    const { host, ana } = clinic();
    const first = offer(ana, ana.c, declared(1_000))!;

    ana.send({ type: "file_offer", c: ana.c, cid: "f1", file: { name: "scan-results.pdf", size: 1_000, sha256: "ab".repeat(32) } });

    expect(ana.of("file").map((f) => f.id)).toEqual([first.id, first.id]);
    expect(host.of("file")).toHaveLength(1);
  });

  it.each([
    ["a file over 200 MB", FILES.maxBytes + 1, "Files can be at most 200 MB."],
    ["an empty file", 0, "That file is empty."],
  ])("%s is refused before a byte moves, in plain words, and nobody hears of it", (_what, size, reason) => {
    const { host, ana } = clinic();

    offer(ana, ana.c, declared(size));

    expect(ana.last("error")).toEqual({ type: "error", code: "file_refused", message: reason, cid: "f1", c: ana.c });
    expect(host.of("file")).toEqual([]);
    expect(ana.of("file")).toEqual([]);
  });

  it("a file of exactly 200 MB is offered", () => {
    const { ana } = clinic();

    expect(offer(ana, ana.c, declared(FILES.maxBytes))).toBeDefined();
  });

  it("a patient cannot offer a file in another patient's conversation or a staff chat", () => {
    const { host, desk, ana, bo } = clinic();
    host.send({ type: "direct", with: desk.id });
    const direct = host.last("conversation")!.c;

    offer(ana, bo.c, declared(1_000), "x1");
    offer(ana, direct, declared(1_000), "x2");

    expect(ana.of("error").map((e) => e.code)).toEqual(["recipient_left", "recipient_left"]);
    expect(bo.of("file")).toEqual([]);
    expect(host.of("file")).toEqual([]);
  });

  it("a name with a text-direction override is not taken (pages clean names before offering)", () => {
    const { host, ana } = clinic();

    offer(ana, ana.c, declared(1_000, "invoice\u202efdp.exe"));

    expect(ana.last("error")?.code).toBe("bad_frame");
    expect(host.of("file")).toEqual([]);
  });

  it("a page may offer 20 files at once; the 21st is refused until one goes", () => {
    const { ana } = clinic();
    for (let i = 0; i < 20; i++) offer(ana, ana.c, declared(1_000), `f${i}`);

    offer(ana, ana.c, declared(1_000), "f20");

    expect(ana.of("file")).toHaveLength(20);
    expect(ana.last("error")).toMatchObject({ code: "file_refused", message: "You are offering 20 files already. Cancel some, or wait until they are downloaded." });
  });
});

describe("an offer lives while its page is open and its conversation holds it", () => {
  it("the sender's page closing withdraws it, and everyone in the conversation is told", () => {
    const { t, host, ana } = clinic();
    const { id } = offer(ana, ana.c, declared(1_000))!;

    ana.drop();

    expect(host.last("file_gone")).toEqual({ type: "file_gone", c: ana.c, id, reason: "The sender's page closed." });
    expect(t.room.download(host.identity, id, "l1")).toMatchObject({ ok: false, status: 404 });
  });

  it("the sender withdrawing it tells everyone; a recipient's cancel does not withdraw it", () => {
    const { t, host, ana } = clinic();
    const { id } = offer(ana, ana.c, declared(1_000))!;

    host.send({ type: "file_cancel", id });
    expect(host.of("file_gone")).toEqual([]);
    ana.send({ type: "file_cancel", id });

    expect(host.last("file_gone")).toMatchObject({ id, reason: "The sender cancelled it." });
    expect(t.room.fileStats().offers).toBe(0);
  });

  it("closing the chat erases it: the offer is withdrawn too", () => {
    const { t, host, ana } = clinic();
    const { id, seq } = offer(ana, ana.c, declared(1_000))!;

    host.send({ type: "close", c: ana.c, upto: seq });
    turn(t);

    expect(ana.last("file_gone")).toMatchObject({ id, reason: "The conversation was erased." });
    expect(t.room.download(host.identity, id, "l1")).toMatchObject({ ok: false, status: 404 });
  });

  it("an offer made after the erase point lives on", () => {
    const { t, host, ana } = clinic();
    ana.send({ type: "send", c: ana.c, cid: "a1", text: "Hello" });
    host.send({ type: "close", c: ana.c, upto: host.last("msg")!.seq });

    offer(ana, ana.c, declared(1_000));
    turn(t);

    expect(ana.of("file_gone")).toEqual([]);
    expect(t.room.fileStats().offers).toBe(1);
  });

  it("ending the session withdraws the provider's offer, and the patient leaving withdraws it too", () => {
    const { t, host, ana, bo } = clinic();
    host.send({ type: "start_session", c: ana.c });
    const inSession = offer(host, ana.c, declared(1_000), "s1")!;
    const waiting = offer(host, bo.c, declared(1_000), "w1")!;

    host.send({ type: "end_session", c: ana.c });
    bo.send({ type: "leave" });
    turn(t);

    expect(host.of("file_gone").map((g) => [g.id, g.reason])).toEqual([
      [inSession.id, "The conversation ended."],
      [waiting.id, "The conversation ended."],
    ]);
  });

  it("a member leaving a group withdraws their offer; deleting the group withdraws every offer in it", () => {
    const { t, host, desk } = clinic();
    const okafor = t.staff("Dr. Okafor", "host");
    host.send({ type: "create_group", cid: "g1", title: "Ward", members: [desk.id, okafor.id] });
    const group = host.last("conversation")!.c;
    const fromDesk = offer(desk, group, declared(1_000), "d1")!;
    const fromHost = offer(host, group, declared(1_000), "h1")!;

    desk.send({ type: "leave_group", c: group });
    turn(t);
    expect(okafor.of("file_gone").map((g) => [g.id, g.reason])).toEqual([[fromDesk.id, "The sender left the conversation."]]);
    host.send({ type: "delete_group", c: group });
    turn(t);

    expect(t.room.fileStats().offers).toBe(0);
    expect(t.room.download(okafor.identity, fromHost.id, "l1")).toMatchObject({ ok: false, status: 404 });
  });

  it("a page that says hello is told the offers it may see; a patient's new page load is not told of earlier ones", () => {
    const { t, host, ana } = clinic();
    const fromAna = offer(ana, ana.c, declared(1_000))!;
    const fromHost = offer(host, ana.c, declared(2_000), "h1")!;

    const colleague = t.staff("Dr. Okafor", "host");
    const reloaded = t.reopen(ana);

    expect(colleague.last("files")?.offers.map((o) => o.id)).toEqual([fromAna.id, fromHost.id]);
    // Ana's first page is still open, so her offer lives; but her new page starts empty.
    expect(reloaded.last("files")?.offers).toEqual([]);
  });

  it("a room where no file was ever offered says nothing of files on hello", () => {
    const { t } = clinic();

    expect(t.staff("Dr. Okafor", "host").of("files")).toEqual([]);
  });

  it("the sender is told who is not connected, and again when they connect", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");

    const { id } = offer(ana, ana.c, declared(1_000))!;
    expect(ana.last("file_waiting")).toEqual({ type: "file_waiting", c: ana.c, id, names: ["your provider"] });
    t.provider("Dr. Rivera");
    turn(t);

    expect(ana.last("file_waiting")).toEqual({ type: "file_waiting", c: ana.c, id, names: [] });
  });

  it("a staff member's offer to a patient whose page dropped waits for them", () => {
    const { t, host, ana } = clinic();
    ana.drop();

    const { id } = offer(host, ana.c, declared(1_000))!;
    turn(t);

    expect(host.last("file_waiting")).toMatchObject({ id, names: ["Ana Lima"] });
  });

  it("a sender's page back on a new socket before its old one is known to be closed keeps its offers, under the same id", () => {
    const { t, host, ana } = clinic();
    const first = offer(ana, ana.c, declared(1_000))!;

    const back = t.resume(ana);
    expect(ana.peer.closedWith).toBeDefined();
    const again = offer(back, ana.c, declared(1_000))!;
    t.room.download(host.identity, first.id, "l1");

    expect(again.id).toBe(first.id);
    expect(host.of("file_gone")).toEqual([]);
    expect(back.last("upload")).toMatchObject({ id: first.id });
  });

  it("a sender's page that comes back offers again and gets a new offer, which recipients take for the same file", () => {
    const { t, host, ana } = clinic();
    const first = offer(ana, ana.c, declared(1_000))!;
    ana.drop();

    const back = t.resume(ana);
    const again = offer(back, ana.c, declared(1_000))!;

    expect(again.id).not.toBe(first.id);
    expect(again).toMatchObject({ cid: first.cid, by: first.by });
    expect(host.of("file").map((f) => f.cid)).toEqual(["f1", "f1"]);
  });
});
