import { afterEach, describe, expect, it } from "vitest";
import { api, checkIn, closeAllSockets, connect, freshRoom, joinAsPatient, joinAsStaff, staffCookie, upgrade } from "./helpers";

afterEach(closeAllSockets);

const MARKER = "d0-not-echo-9c1";

describe("malformed frames", () => {
  it("are refused with error frames that do not echo them, while the room keeps serving everyone else", async () => {
    const room = freshRoom();
    const { socket: provider } = await joinAsStaff(room);
    const mallory = await joinAsPatient(room, "Mallory Test");
    const ana = await joinAsPatient(room, "Ana Lima");

    mallory.socket.sendRaw(`{"type":"send","c":"${mallory.patient.c}","text":"${MARKER}"`);
    mallory.socket.send({ type: "shout", text: MARKER });
    mallory.socket.sendRaw(new TextEncoder().encode(JSON.stringify({ type: "ping", x: MARKER })));
    mallory.socket.send({ type: "send", c: mallory.patient.c, cid: "long", text: MARKER + "x".repeat(4000) });
    mallory.socket.send({ type: "broadcast", cid: "nope", text: MARKER });
    await mallory.socket.settle();

    expect(mallory.socket.of("error").map((e) => e.code)).toEqual(["bad_frame", "bad_frame", "bad_frame", "bad_text", "forbidden"]);
    expect(mallory.socket.raw.join("\n")).not.toContain(MARKER);

    ana.socket.send({ type: "send", c: ana.patient.c, cid: "a1", text: "Still working?" });
    expect((await provider.waitForType("msg", (m) => m.cid === "a1")).text).toBe("Still working?");
    await ana.socket.settle();
    expect(ana.socket.raw.join("\n")).not.toContain(MARKER);
    expect(provider.raw.join("\n")).not.toContain(MARKER);
  });

  it("frames before hello are refused with hello_required", async () => {
    const room = freshRoom();
    const ana = await checkIn(room, "Ana Lima");
    const socket = await connect(room, ana.cookie);

    socket.send({ type: "send", c: ana.c, cid: "early", text: "Hi" });

    expect(await socket.waitForType("error")).toMatchObject({ code: "hello_required" });
    await socket.hello();
  });

  it("a frame over 64 KiB closes the socket with 1009", async () => {
    const room = freshRoom();
    const { socket: provider } = await joinAsStaff(room);
    const ana = await joinAsPatient(room, "Ana Lima");

    ana.socket.send({ type: "send", c: ana.patient.c, cid: "huge", text: "z".repeat(70 * 1024) });

    expect((await ana.socket.waitForClose()).code).toBe(1009);
    await provider.waitForType("patient", (m) => m.patient.id === ana.patient.id && m.patient.status === "away");
    expect(provider.of("msg")).toEqual([]);
  });

  it("a page from an older protocol version is closed with 4002", async () => {
    const room = freshRoom();
    const ana = await checkIn(room, "Ana Lima");
    const socket = await connect(room, ana.cookie);

    socket.send({ type: "hello", v: 1 });

    expect(await socket.waitForType("error")).toMatchObject({ code: "version" });
    expect((await socket.waitForClose()).code).toBe(4002);
  });
});

describe("who may open a socket", () => {
  it("without a cookie, or with a forged one, the upgrade is refused with 401", async () => {
    const room = freshRoom();
    const ana = await checkIn(room, "Ana Lima");

    for (const cookie of [undefined, "qc_patient=garbage", `${ana.cookie.slice(0, -2)}xx`]) {
      const res = await upgrade(room, cookie);
      expect(res.status).toBe(401);
      expect(res.webSocket).toBeNull();
    }
  });

  it("a patient's cookie from another room is refused with 401", async () => {
    const ana = await checkIn(freshRoom("a"), "Ana Lima");

    expect((await upgrade(freshRoom("b"), ana.cookie)).status).toBe(401);
  });

  it("a patient's cookie does not open a staff socket", async () => {
    const room = freshRoom();
    const ana = await checkIn(room, "Ana Lima");

    expect((await upgrade(room, ana.cookie, { as: "staff" })).status).toBe(401);
    expect((await upgrade(room, `qc_staff=${ana.cookie.slice("qc_patient=".length)}`, { as: "staff" })).status).toBe(401);
  });

  it("a staff member signed in for another room is refused with 401", async () => {
    const cookie = await staffCookie(freshRoom("mine"));

    expect((await upgrade(freshRoom("theirs"), cookie, { as: "staff" })).status).toBe(401);
  });

  it.each([
    ["another site", "http://evil.example"],
    ["another scheme", "https://example.com"],
    ["no Origin at all", null],
  ])("an upgrade from %s is refused with 403", async (_case, origin) => {
    const room = freshRoom();
    const ana = await checkIn(room, "Ana Lima");

    const res = await upgrade(room, ana.cookie, { origin });

    expect(res.status).toBe(403);
    expect(res.webSocket).toBeNull();
  });

  it("a plain GET of the socket URL is refused with 426", async () => {
    const room = freshRoom();

    expect((await api(`/api/rooms/${room}/ws`)).status).toBe(426);
  });
});
