import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { ORIGIN } from "./helpers";

/**
 * Each page is its own HTML file, so that a patient downloads only the
 * patient's page. Worker tests have no built client: a stand-in for Workers
 * Assets answers with the name of the file it was asked for, as the asset
 * server serves /patient from patient.html.
 */
async function get(path: string): Promise<{ status: number; served: string }> {
  const assets = { fetch: async (req: Request) => new Response(`served ${new URL(req.url).pathname}`, { headers: { "Content-Type": "text/html" } }) } as unknown as Fetcher;
  const res = await app.fetch(new Request(ORIGIN + path), { ...env, ASSETS: assets }, createExecutionContext());
  return { status: res.status, served: (await res.text()).replace("served ", "") };
}

describe("every route serves its own page", () => {
  it.each([
    ["/r/clinic-7", "/patient"],
    ["/r/clinic-7/", "/patient"],
    ["/provider", "/provider"],
    ["/join", "/join"],
    ["/", "/"],
  ])("%s is the page %s", async (path, page) => {
    expect(await get(path)).toEqual({ status: 200, served: page });
  });

  it.each(["/assets/patient-3f9a.js", "/assets/styles-9c1e.css", "/patient/main.tsx", "/@vite/client"])(
    "the file %s goes to the asset server as it is",
    async (path) => {
      expect(await get(path)).toEqual({ status: 200, served: path });
    },
  );

  it.each(["/r/", "/r/clinic-7/extra", "/patient", "/provider.html", "/404.html", "/nowhere"])("%s is not a page: the not-found page, with 404", async (path) => {
    expect(await get(path)).toEqual({ status: 404, served: "/404" });
  });
});
