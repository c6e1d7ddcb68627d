/**
 * What `npm run deploy` would upload, proven without a Cloudflare account:
 * `wrangler deploy --dry-run` on the build (`npm run build` first) bundles
 * the Worker and reads the assets exactly as a deploy does, then stops
 * before contacting Cloudflare. `--outfile` keeps the upload it would send.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
/** The config `vite build` writes from wrangler.toml for the built Worker; `npm run deploy` deploys with it. */
const DEPLOY_CONFIG = join(ROOT, "dist/queue_chat/wrangler.json");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

interface Binding {
  name: string;
  type: string;
  class_name?: string;
}
interface UploadMetadata {
  main_module: string;
  bindings: Binding[];
  compatibility_date: string;
  compatibility_flags: string[];
  keep_bindings?: string[];
  observability?: { enabled?: boolean; logs?: { invocation_logs?: boolean } };
}

let work: string;
let dryRun: { status: number | null; stdout: string; stderr: string };
let metadata: UploadMetadata;
let mainModule: string;
let deployConfig: {
  userConfigPath: string;
  name: string;
  assets: { directory: string; binding: string; run_worker_first: boolean; not_found_handling: string };
  migrations: { tag: string; new_sqlite_classes?: string[]; new_classes?: string[] }[];
};

/** A top-level `key = value` line of wrangler.toml, the value parsed as JSON (strings, arrays of strings). */
function fromWranglerToml(key: string): unknown {
  const line = readFileSync(join(ROOT, "wrangler.toml"), "utf8").match(new RegExp(`^${key}\\s*=\\s*(.+)$`, "m"));
  if (!line) throw new Error(`wrangler.toml has no ${key}`);
  return JSON.parse(line[1]!);
}

beforeAll(async () => {
  if (!existsSync(DEPLOY_CONFIG)) throw new Error("No build in dist/: run `npm run build` first.");
  deployConfig = JSON.parse(readFileSync(DEPLOY_CONFIG, "utf8"));
  work = mkdtempSync(join(tmpdir(), "queue-chat-deploy-"));
  const env = { ...process.env };
  // No account: a stored login or token must not be what makes this pass.
  for (const key of ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "CLOUDFLARE_EMAIL", "CLOUDFLARE_ACCOUNT_ID"]) delete env[key];
  const upload = join(work, "upload.form");
  const run = spawnSync(
    process.execPath,
    [WRANGLER, "deploy", "--dry-run", "--config", DEPLOY_CONFIG, "--outdir", join(work, "bundle"), "--outfile", upload],
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        ...env,
        WRANGLER_SEND_METRICS: "false",
        // The banner is also where wrangler looks up its latest version online.
        WRANGLER_HIDE_BANNER: "true",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        // wrangler's login, metrics id and logs go here, not to the home folder.
        XDG_CONFIG_HOME: join(work, "config"),
        WRANGLER_LOG_PATH: join(work, "logs"),
      },
    },
  );
  dryRun = { status: run.status, stdout: run.stdout, stderr: run.stderr };
  if (run.status !== 0) return;
  // The upload is multipart form data: the metadata, then one part per module.
  const body = readFileSync(upload);
  const boundary = body.subarray(2, body.indexOf("\r\n")).toString();
  const form = await new Response(body, { headers: { "content-type": `multipart/form-data; boundary=${boundary}` } }).formData();
  metadata = JSON.parse(String(form.get("metadata")));
  mainModule = await (form.get(metadata.main_module) as File).text();
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("wrangler deploy --dry-run on the build", () => {
  it("accepts the build for deployment, with no account and without going online", () => {
    expect(dryRun.stderr).not.toMatch(/ERROR|✘/);
    expect(dryRun.status).toBe(0);
    expect(dryRun.stdout).toContain("--dry-run: exiting now.");
  });

  it("deploys the configuration that wrangler.toml describes", () => {
    expect(deployConfig.userConfigPath).toBe(join(ROOT, "wrangler.toml"));
    expect(deployConfig.name).toBe(fromWranglerToml("name"));
  });

  it("uploads wrangler.toml's compatibility date and flags", () => {
    expect(metadata.compatibility_date).toBe(fromWranglerToml("compatibility_date"));
    expect(metadata.compatibility_flags).toEqual(fromWranglerToml("compatibility_flags"));
  });

  it("binds ROOMS to the RoomDO class, which the bundled entry module exports", () => {
    expect(metadata.bindings).toContainEqual({ name: "ROOMS", type: "durable_object_namespace", class_name: "RoomDO" });
    expect(mainModule).toMatch(/export\s*\{[^}]*\bRoomDO\b[^}]*\}/);
  });

  it("binds DIRECTORY to the DirectoryDO class (access codes), which the bundled entry module exports", () => {
    expect(metadata.bindings).toContainEqual({ name: "DIRECTORY", type: "durable_object_namespace", class_name: "DirectoryDO" });
    expect(mainModule).toMatch(/export\s*\{[^}]*\bDirectoryDO\b[^}]*\}/);
  });

  it("creates RoomDO in migration v1 and DirectoryDO in v2, both SQLite-backed", () => {
    expect(deployConfig.migrations).toEqual([
      { tag: "v1", new_sqlite_classes: ["RoomDO"] },
      { tag: "v2", new_sqlite_classes: ["DirectoryDO"] },
    ]);
  });

  it("uploads the built client as static assets, one HTML file per page, served after the Worker, with a not-found page", () => {
    const read = dryRun.stdout.match(/Read (\d+) files from the assets directory (.+)/);
    expect(read?.[2]?.trim()).toBe(join(ROOT, "dist/client"));
    expect(Number(read?.[1])).toBeGreaterThan(1);
    for (const page of ["index", "patient", "provider", "join", "404"]) expect(existsSync(join(ROOT, `dist/client/${page}.html`))).toBe(true);
    expect(metadata.bindings).toContainEqual({ name: "ASSETS", type: "assets" });
    expect(deployConfig.assets).toMatchObject({ binding: "ASSETS", run_worker_first: true, not_found_handling: "404-page" });
  });

  it("binds nothing that could store a message: only settings, the rooms and the assets", () => {
    expect(new Set(metadata.bindings.map((b) => b.type))).toEqual(new Set(["plain_text", "durable_object_namespace", "assets"]));
  });

  it("leaves SESSION_SECRET out of the upload and keeps the one set with `wrangler secret put`", () => {
    expect(metadata.bindings.map((b) => b.name)).not.toContain("SESSION_SECRET");
    expect(metadata.keep_bindings).toContain("secret_text");
  });

  it("keeps request-URL invocation logs off", () => {
    expect(metadata.observability?.logs?.invocation_logs).toBe(false);
  });
});
