import { describe, expect, it } from "vitest";
import { CLOSE, LIMITS } from "../../worker/protocol";
import { Client, setup } from "./fakes";

/** A marker that must never come back in any frame the server sends. */
const SECRET = "7f3a-do-not-echo";

describe("frames a role may not send", () => {
  it.each([
    ["broadcast", { type: "broadcast", cid: "x1", text: "Everyone out" }],
    ["erase", (id: string) => ({ type: "erase", patient: id, upto: 10 })],
  ])("a patient's %s frame is refused as forbidden and the socket stays usable", (_name, frame) => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");
    bo.send({ type: "send", cid: "b1", text: "Mine" });
    ana.clear();

    ana.send(typeof frame === "function" ? frame(bo.id) : frame);
    ana.send({ type: "ping" });

    expect(ana.frames.map((f) => f.type)).toEqual(["error", "pong"]);
    expect(ana.last("error")?.code).toBe("forbidden");
    expect(ana.peer.closedWith).toBeUndefined();
    expect(bo.of("msg")).toHaveLength(1);
    expect(bo.of("erased")).toEqual([]);
    expect(provider.of("erased")).toEqual([]);
  });

  it("a provider's leave frame is refused as forbidden and the socket stays usable", () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    provider.clear();

    provider.send({ type: "leave" });
    provider.send({ type: "send", cid: "p1", to: ana.id, text: "Still here" });

    expect(provider.frames.map((f) => f.type)).toEqual(["error", "msg"]);
    expect(provider.last("error")?.code).toBe("forbidden");
    expect(ana.texts()).toEqual(["Still here"]);
  });
});

describe("malformed frames", () => {
  it.each([
    ["malformed JSON", `{"type":"send","text":"${SECRET}"`],
    ["an unknown type", JSON.stringify({ type: "shout", text: SECRET })],
    ["a missing field", JSON.stringify({ type: "send", text: SECRET })],
    ["a JSON value that is not an object", JSON.stringify(SECRET)],
    ["JSON null", "null"],
  ])("%s gets a bad_frame error that does not echo the input", (_name, frame) => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    ana.clear();

    ana.conn.receive(frame);

    expect(ana.frames).toEqual([{ type: "error", code: "bad_frame", message: expect.any(String) }]);
    expect(ana.peer.raw.join("")).not.toContain(SECRET);
    expect(provider.peer.raw.join("")).not.toContain(SECRET);
  });

  it.each([
    ["an ArrayBuffer", new TextEncoder().encode(JSON.stringify({ type: "ping" })).buffer],
    ["a Uint8Array", new TextEncoder().encode(JSON.stringify({ type: "ping" }))],
  ])("binary data (%s) gets a bad_frame error", (_name, data) => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.clear();

    ana.conn.receive(data);

    expect(ana.frames).toEqual([{ type: "error", code: "bad_frame", message: "Frames must be JSON text." }]);
  });

  it("a second hello is refused as bad_frame", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    ana.clear();

    ana.hello();

    expect(ana.frames.map((f) => f.type)).toEqual(["error"]);
    expect(ana.last("error")?.code).toBe("bad_frame");
  });
});

describe("message text", () => {
  it(`a message over ${LIMITS.textChars} characters is refused as bad_text, with its cid so the page can mark it`, () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    ana.send({ type: "send", cid: "long1", text: SECRET + "x".repeat(LIMITS.textChars) });

    expect(ana.last("error")).toEqual({ type: "error", code: "bad_text", cid: "long1", message: expect.any(String) });
    expect(ana.peer.raw.join("")).not.toContain(SECRET);
    expect(provider.of("msg")).toEqual([]);
  });

  it(`a message of exactly ${LIMITS.textChars} characters is delivered`, () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");

    ana.send({ type: "send", cid: "max1", text: "y".repeat(LIMITS.textChars) });

    expect(provider.last("msg")?.text).toHaveLength(LIMITS.textChars);
  });

  it("a blank message is refused as bad_text", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");

    ana.send({ type: "send", cid: "blank", text: " \n\t " });

    expect(ana.last("error")).toMatchObject({ code: "bad_text", cid: "blank" });
    expect(ana.of("msg")).toEqual([]);
  });
});

describe("frame size", () => {
  it(`a frame over ${LIMITS.frameBytes / 1024} KiB closes the socket with 1009`, () => {
    const t = setup();
    const provider = t.provider();
    const ana = t.patient("Ana Lima");
    provider.clear();

    ana.conn.receive(JSON.stringify({ type: "send", cid: "big", text: "z".repeat(LIMITS.frameBytes) }));

    expect(ana.peer.closedWith?.code).toBe(CLOSE.tooBig);
    expect(provider.of("msg")).toEqual([]);
    // The dropped patient is shown as away, like any other lost connection.
    expect(provider.last("patient")?.patient.status).toBe("away");
  });

  it("frame size counts UTF-8 bytes, not characters", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const euros = "€".repeat(Math.ceil(LIMITS.frameBytes / 3) + 1); // 3 bytes each, fewer chars than the limit

    ana.conn.receive(euros);

    expect(euros.length).toBeLessThan(LIMITS.frameBytes);
    expect(ana.peer.closedWith?.code).toBe(CLOSE.tooBig);
  });

  it("a frame just under the limit is parsed, not closed", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");

    ana.conn.receive(" ".repeat(LIMITS.frameBytes - 20) + '{"type":"ping"}');

    expect(ana.peer.closedWith).toBeUndefined();
    expect(ana.last("pong")).toEqual({ type: "pong" });
  });
});

describe("rate limiting", () => {
  it("a connection sending too fast gets rate_limited, then recovers as the bucket refills", () => {
    const t = setup({ burst: 3, perSecond: 2 });
    const ana = t.patient("Ana Lima"); // the hello took one token
    ana.clear();

    for (let i = 0; i < 3; i++) ana.send({ type: "ping" });
    expect(ana.frames.map((f) => f.type)).toEqual(["pong", "pong", "error"]);
    expect(ana.last("error")?.code).toBe("rate_limited");
    expect(ana.peer.closedWith).toBeUndefined();

    ana.clear();
    t.clock.advance(499);
    ana.send({ type: "ping" });
    expect(ana.frames.map((f) => f.type)).toEqual(["error"]);

    ana.clear();
    t.clock.advance(1_001);
    ana.send({ type: "ping" });
    ana.send({ type: "ping" });
    expect(ana.frames.map((f) => f.type)).toEqual(["pong", "pong"]);
  });

  it("one fast sender does not use up anyone else's allowance", () => {
    const t = setup({ burst: 2, perSecond: 1 });
    const ana = t.patient("Ana Lima");
    const bo = t.patient("Bo Chen");

    for (let i = 0; i < 5; i++) ana.send({ type: "ping" });
    bo.send({ type: "ping" });

    expect(bo.last("pong")).toEqual({ type: "pong" });
  });

  it("after a restart, a provider hands back every conversation at once, however many patients wait", () => {
    const t = setup({ burst: 3, perSecond: 1, seqBase: 1_000 });
    const provider = t.provider();
    provider.clear();

    for (let i = 0; i < 40; i++) {
      const info = { name: `Patient ${i}`, checkedInAt: t.clock.now() - 60_000 + i };
      provider.send({ type: "seed", patient: `restored-${i}-0123456789abcdef`, messages: [], info });
    }

    expect(provider.of("error")).toEqual([]);
    expect(t.room.patientCount).toBe(40);
  });

  it("a patient's seed frames have a budget of their own, apart from the message allowance", () => {
    const t = setup({ burst: 2, perSecond: 1, seqBase: 1_000 });
    const ana = t.patient("Ana Lima");
    ana.clear();

    for (let i = 0; i < 60; i++) ana.send({ type: "seed", patient: ana.id, messages: [] });

    expect(ana.of("error").map((e) => e.code)).toEqual(Array(10).fill("rate_limited"));
    ana.send({ type: "ping" });
    expect(ana.last("pong")).toEqual({ type: "pong" });
  });
});

describe("the handshake", () => {
  it("frames before hello are refused with hello_required, and hello still works after", () => {
    const t = setup();
    const identity = t.patientIdentity("Ana Lima");
    t.room.admit(identity);
    const page = new Client(t.room, identity);

    page.send({ type: "send", cid: "a1", text: "Hi" });
    page.send({ type: "ping" });
    expect(page.frames.map((f) => f.type === "error" && f.code)).toEqual(["hello_required", "hello_required"]);

    page.hello();
    expect(page.last("welcome")?.self.id).toBe(identity.id);
  });

  it("a page speaking another protocol version is told to reload and closed with 4002", () => {
    const t = setup();
    const identity = t.patientIdentity("Ana Lima");
    t.room.admit(identity);
    const provider = t.provider();
    const page = new Client(t.room, identity);

    page.send({ type: "hello", v: 999 });

    expect(page.frames).toEqual([{ type: "error", code: "version", message: expect.any(String) }]);
    expect(page.peer.closedWith?.code).toBe(CLOSE.version);
    // It never joined, so the provider sees no status change for it.
    expect(provider.of("patient").filter((p) => p.patient.status === "away")).toEqual([]);
  });

  it("a socket that closed before saying hello leaves the queue untouched", () => {
    const t = setup();
    const ana = t.patient("Ana Lima");
    const provider = t.provider();
    provider.clear();

    new Client(t.room, ana.identity).drop();

    expect(provider.frames).toEqual([]);
    expect(t.room.queue()[0]?.status).toBe("waiting");
  });
});
