import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { randomId } from "../../worker/ids";
import { originAllowed } from "../../worker/routes/socket";
import { signPatient, signStaffSession, staffId } from "../../worker/tokens";
import { ORIGIN, Socket, freshRoom, roomReached, upgrade } from "./helpers";

type Role = "patient" | "staff";

/**
 * A valid session cookie for a room no request has reached yet (as after a
 * deploy), so whether the room's Durable Object exists shows whether the
 * upgrade got that far.
 */
async function sessionFor(role: Role, room: string): Promise<string> {
  if (role === "patient") return `qc_patient=${await signPatient(env.SESSION_SECRET, { room, id: randomId(), c: randomId(), name: "Ana Lima", checkedInAt: Date.now() })}`;
  const link = { role: "host" as const, room, sub: await staffId(room, "Dr. Rivera"), name: "Dr. Rivera", exp: Math.floor(Date.now() / 1000) + 3600 };
  return `qc_staff=${await signStaffSession(env.SESSION_SECRET, link, randomId())}`;
}

const asFor = (role: Role) => (role === "staff" ? "staff" : undefined);

describe("the Origin of a socket upgrade", () => {
  it.each([
    ["patient", "a look-alike host", "http://example.com.evil.example"],
    ["patient", "another port", "http://example.com:8080"],
    ["patient", "an opaque origin (null)", "null"],
    ["patient", "no Origin at all", null],
    ["staff", "another site", "https://evil.example"],
    ["staff", "no Origin at all", null],
  ] as const)("%s page: an upgrade from %s is refused with 403 before the room's Durable Object exists", async (role, _case, origin) => {
    const room = freshRoom();
    const cookie = await sessionFor(role, room);

    const refused = await upgrade(room, cookie, { as: asFor(role), origin });

    expect(refused.status).toBe(403);
    expect(refused.webSocket).toBeNull();
    expect(await roomReached(room)).toBe(false);
    // The same cookie from the page's own origin does reach the room.
    const accepted = await upgrade(room, cookie, { as: asFor(role) });
    expect(accepted.status).toBe(101);
    new Socket(accepted.webSocket!).close();
    expect(await roomReached(room)).toBe(true);
  });

  it("ALLOWED_ORIGINS lets the listed origins connect as well as the page's own, and no others", async () => {
    const room = freshRoom();
    const cookie = await sessionFor("patient", room);
    const withAllowed = (origin: string) =>
      app.fetch(
        new Request(`${ORIGIN}/api/rooms/${room}/ws`, { headers: { Upgrade: "websocket", Origin: origin, Cookie: cookie } }),
        { ...env, ALLOWED_ORIGINS: "https://app.clinic.example, https://kiosk.clinic.example:8443" },
        createExecutionContext(),
      );

    for (const origin of [ORIGIN, "https://app.clinic.example", "https://kiosk.clinic.example:8443"]) {
      const res = await withAllowed(origin);
      expect(res.status, origin).toBe(101);
      new Socket(res.webSocket!).close();
    }
    for (const origin of ["https://clinic.example", "https://kiosk.clinic.example", "https://evil.example"]) {
      expect((await withAllowed(origin)).status, origin).toBe(403);
    }
    expect((await upgrade(room, cookie, { origin: "https://app.clinic.example" })).status).toBe(403);
  });
});

describe("originAllowed", () => {
  const url = "https://clinic.example/api/rooms/demo/ws";

  it("allows exactly the request's own origin when nothing else is listed", () => {
    expect(originAllowed("https://clinic.example", url)).toBe(true);
    for (const origin of [
      undefined,
      "",
      "null",
      "http://clinic.example",
      "https://clinic.example:8443",
      "https://clinic.example.evil.example",
      "https://evil.example",
      "https://clinic.example/",
    ]) {
      expect(originAllowed(origin, url), String(origin)).toBe(false);
    }
  });

  it("adds each listed origin, trimmed, and ignores empty entries", () => {
    const extra = " https://a.example ,, https://b.example:8443 ,";

    expect(originAllowed("https://a.example", url, extra)).toBe(true);
    expect(originAllowed("https://b.example:8443", url, extra)).toBe(true);
    expect(originAllowed("https://clinic.example", url, extra)).toBe(true);
    expect(originAllowed("https://b.example", url, extra)).toBe(false);
    expect(originAllowed("", url, extra)).toBe(false);
  });

  it("takes listed entries literally: no wildcards, no prefixes", () => {
    expect(originAllowed("https://evil.example", url, "*")).toBe(false);
    expect(originAllowed("https://x.clinic.example", url, "https://*.clinic.example")).toBe(false);
    expect(originAllowed("https://a.example.evil.example", url, "https://a.example")).toBe(false);
    expect(originAllowed("https://a.example", url, "https://a.example.evil.example")).toBe(false);
  });
});
