/**
 * Names never reach a log: not the worker's, not the room's, not a header
 * a runtime might print. Who is connecting reaches the room by native RPC;
 * the upgrade request to the room carries only a random, single-use ticket.
 */
import { env } from "cloudflare:workers";
import { afterEach, expect, it, vi } from "vitest";
import { RoomDO, TICKET_HEADER } from "../../worker/room-do";
import { signInvite } from "../../worker/tokens";
import { api, captureConsole, closeAllSockets, connect, cookieFrom, freshRoom, joinAsPatient, joinAsStaff, postJson, roomStub } from "./helpers";

afterEach(() => {
  closeAllSockets();
  vi.restoreAllMocks();
});

const canary = `canary-${crypto.randomUUID()}`;
/** Names in several scripts (accents, CJK, right-to-left) and one carrying a canary. */
const NAMES = { patient: "José Núñez", walkIn: "Zoë Núñez", host: "李雷", desk: "אורי", scheduled: `Ana ${canary}`, nurse: `Kim ${canary}`.slice(0, 60) };

/** The forms a name could take in a log line: as is, JSON-escaped to ASCII, URL-encoded, and its longer words alone. */
function forms(name: string): string[] {
  const escaped = name.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  // Short ASCII words ("Ana") could turn up inside a random id by chance.
  return [...new Set([name, escaped, encodeURIComponent(name), ...name.split(" ").filter((word) => word.length > 3 || /[^\x20-\x7e]/.test(word))])];
}

/** A busy morning with every name in play: chat, a message to everyone, staff chat, a session, a scheduled visit, leaving and signing out. */
async function morning(room: string) {
  const host = await joinAsStaff(room, { name: NAMES.host });
  const desk = await joinAsStaff(room, { name: NAMES.desk, role: "staff" });
  const nurse = await joinAsStaff(room, { name: NAMES.nurse, role: "staff" });
  const jose = await joinAsPatient(room, NAMES.patient);
  const zoe = await joinAsPatient(room, NAMES.walkIn);

  jose.socket.send({ type: "send", c: jose.patient.c, cid: "j1", text: `Hola, soy ${NAMES.patient}` });
  await host.socket.waitForType("msg", (m) => m.cid === "j1");
  desk.socket.send({ type: "send", c: jose.patient.c, cid: "d1", text: `Shalom from ${NAMES.desk}` });
  host.socket.send({ type: "broadcast", cid: "b1", text: `${NAMES.host} is running late` });
  await zoe.socket.waitForType("msg", (m) => m.cid === "b1");
  host.socket.send({ type: "create_group", cid: "g1", title: `Team ${NAMES.desk}`, members: [desk.id, nurse.id] });
  const group = await nurse.socket.waitForType("conversation");
  nurse.socket.send({ type: "send", c: group.c, cid: "n1", text: `${NAMES.patient} paid` });
  await desk.socket.waitForType("msg", (m) => m.cid === "n1");
  desk.socket.send({ type: "view", c: jose.patient.c });
  host.socket.send({ type: "start_session", c: zoe.patient.c });
  await zoe.socket.waitForType("session_started");
  host.socket.send({ type: "downloaded", c: zoe.patient.c });
  host.socket.send({ type: "end_session", c: zoe.patient.c });
  await zoe.socket.waitForClose();
  jose.socket.send({ type: "leave" });
  await host.socket.waitForType("patient_left", (m) => m.c === jose.patient.c);

  const start = Date.now();
  const joined = await postJson("/api/invites/join", { name: NAMES.scheduled }, { Authorization: `Bearer ${await signInvite(env.SESSION_SECRET, room, crypto.randomUUID(), start, start + 30 * 60_000)}` });
  const scheduled = await connect(room, cookieFrom(joined, "qc_patient"));
  await scheduled.hello();
  await api("/api/provider/session", { method: "DELETE", headers: { Cookie: nurse.cookie } });
  await nurse.socket.waitForClose();
  await host.socket.settle();
  return { host, desk, scheduled };
}

it("names in any script, and a canary in a name, never reach a log line", async () => {
  const logged = captureConsole();
  const room = freshRoom();

  await morning(room);

  // The capture works: the room's audit lines (ids only) are in it.
  for (const event of ["joined", "admitted", "ended", "downloaded", "left", "group_created"]) {
    expect(logged.some((line) => line.includes(`"audit":"${event}"`)), event).toBe(true);
  }
  const all = logged.join("\n");
  for (const name of Object.values(NAMES)) for (const form of forms(name)) expect(all, form).not.toContain(form);
  expect(all).not.toContain(canary);
});

it("the upgrade request that reaches the room carries a random single-use ticket and no name", async () => {
  const reached = vi.spyOn(RoomDO.prototype, "fetch");
  const room = freshRoom();

  await morning(room);

  const requests = reached.mock.calls.map(([request]) => request);
  // Three staff pages, three patients' pages.
  expect(requests).toHaveLength(6);
  const tickets: string[] = [];
  for (const request of requests) {
    const headers = [...request.headers];
    expect(headers.map(([name]) => name).sort()).toEqual([TICKET_HEADER.toLowerCase(), "upgrade"].sort());
    const ticket = request.headers.get(TICKET_HEADER)!;
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{22}$/);
    tickets.push(ticket);
    const url = new URL(request.url);
    expect(url.pathname).toBe(`/api/rooms/${room}/ws`);
    expect([...url.searchParams.keys()].filter((key) => key !== "as")).toEqual([]);
    const seen = `${request.url}\n${headers.flat().join("\n")}`;
    for (const name of Object.values(NAMES)) for (const form of forms(name)) expect(seen, form).not.toContain(form);
  }
  expect(new Set(tickets).size).toBe(tickets.length);
  // A ticket is good once: replayed straight to the room, it opens nothing.
  const replayed = await roomStub(room).fetch(new Request(requests[0]!.url, { headers: { Upgrade: "websocket", [TICKET_HEADER]: tickets[0]! } }));
  expect(replayed.status).toBe(426);
  expect(replayed.webSocket).toBeNull();
});

it("a ticket a client makes up, sent with a valid cookie or without one, opens nothing", async () => {
  const room = freshRoom();
  const { patient } = await joinAsPatient(room, NAMES.patient);
  const forged = { Upgrade: "websocket", [TICKET_HEADER]: "AAAAAAAAAAAAAAAAAAAAAA" };

  const straight = await roomStub(room).fetch(new Request(`http://example.com/api/rooms/${room}/ws`, { headers: forged }));
  const throughWorker = await api(`/api/rooms/${room}/ws`, { headers: { ...forged, Origin: "http://example.com" } });
  const withCookie = await api(`/api/rooms/${room}/ws`, { headers: { ...forged, Origin: "http://example.com", Cookie: patient.cookie } });

  expect(straight.status).toBe(426);
  expect(throughWorker.status).toBe(401);
  // The worker makes its own ticket for the cookie's patient; the one sent is ignored.
  expect(withCookie.status).toBe(101);
  withCookie.webSocket!.accept();
  withCookie.webSocket!.close(1000);
});
