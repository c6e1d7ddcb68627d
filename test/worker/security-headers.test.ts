import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { ORIGIN, api, checkIn, freshRoom, postJson, signIn, staffCookie, staffLink, upgrade } from "./helpers";

/**
 * The built client is not bound as ASSETS in worker tests, so pages go
 * through the same app with a stand-in for Workers Assets that answers as it
 * does: a page's HTML (or a hashed script) with its own caching
 * headers, which ours must replace.
 */
async function fromAssets(path: string): Promise<Response> {
  const script = path.startsWith("/assets/");
  const assets = {
    fetch: async () =>
      new Response(script ? "export {};" : "<!doctype html><title>queue-chat</title>", {
        headers: {
          "Content-Type": script ? "text/javascript" : "text/html",
          "Cache-Control": "public, max-age=0, must-revalidate",
          ETag: '"a1"',
        },
      }),
  } as unknown as Fetcher;
  return app.fetch(new Request(ORIGIN + path), { ...env, ASSETS: assets }, createExecutionContext());
}

/** Pages and API answers: everything that may show a name. */
const answers: [string, () => Promise<Response>][] = [
  ["the waiting-room page /r/<room>", () => fromAssets("/r/some-room")],
  ["the staff dashboard page", () => fromAssets("/provider")],
  ["a page the asset server cannot serve (500)", () => api("/r/some-room")],
  ["a check-in (200 JSON)", () => postJson(`/api/rooms/${freshRoom()}/check-in`, { name: "Ana Lima" })],
  ["a staff sign-in (200 JSON)", async () => signIn(await staffLink(freshRoom()))],
  ["a staff member's /me (200 JSON)", async () => api("/api/provider/me", { headers: { Cookie: await staffCookie(freshRoom()) } })],
  ["a staff sign-in's refresh (200 JSON)", async () => api("/api/provider/refresh", { method: "POST", headers: { Cookie: await staffCookie(freshRoom()) } })],
  [
    "leaving the session (204)",
    async () => {
      const room = freshRoom();
      const ana = await checkIn(room, "Ana Lima");
      return api(`/api/rooms/${room}/me`, { method: "DELETE", headers: { Cookie: ana.cookie } });
    },
  ],
  ["a malformed room id (400)", () => postJson("/api/rooms/Not_A_Room/check-in", { name: "Ana Lima" })],
  ["a request without a session (401)", () => api(`/api/rooms/${freshRoom()}/me`)],
  ["a socket from a foreign origin (403)", () => upgrade(freshRoom(), undefined, { origin: "https://evil.example" })],
  ["an unknown API path (404)", () => api("/api/nothing-here")],
  ["a plain GET of the socket URL (426)", () => api(`/api/rooms/${freshRoom()}/ws`)],
];
const everyResponse: [string, () => Promise<Response>][] = [...answers, ["a hashed script under /assets/", () => fromAssets("/assets/index-3f9a.js")]];

/** The Content-Security-Policy as directive name → sources. */
function cspOf(res: Response): Map<string, string[]> {
  const header = res.headers.get("Content-Security-Policy");
  expect(header, "Content-Security-Policy").toBeTruthy();
  return new Map(
    header!
      .split(";")
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!.toLowerCase(), sources]),
  );
}

describe("security headers", () => {
  it.each(everyResponse)("%s carries a Content-Security-Policy with no inline script, same-origin connections, no plugins, no base and no framing", async (_kind, request) => {
    const csp = cspOf(await request());

    const scripts = csp.get("script-src") ?? csp.get("default-src");
    expect(scripts).toBeDefined();
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("*");
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  });

  it.each(everyResponse)("%s carries HSTS, nosniff, no-referrer and a Permissions-Policy that turns off camera, microphone and location", async (_kind, request) => {
    const res = await request();

    const hsts = res.headers.get("Strict-Transport-Security") ?? "";
    // At least 180 days: browsers keep to HTTPS between visits months apart.
    expect(Number(hsts.match(/max-age=(\d+)/)?.[1])).toBeGreaterThanOrEqual(180 * 24 * 3600);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    const permissions = res.headers.get("Permissions-Policy") ?? "";
    for (const feature of ["camera", "microphone", "geolocation"]) expect(permissions).toContain(`${feature}=()`);
  });

  it.each(answers)("%s is never cached: Cache-Control is exactly no-store", async (_kind, request) => {
    const res = await request();

    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });
});
