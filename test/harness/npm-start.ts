/**
 * Runs `npm start` (scripts/start.ts: `vite build`, then `vite preview` on
 * workerd through @cloudflare/vite-plugin) on a copy of this project, so
 * that its build, and whatever the local runtime writes while it serves,
 * lands in folders a test can read: the copy's tree, and the temporary and
 * config folders it is given (TMPDIR, XDG_CONFIG_HOME). The copy shares this
 * project's node_modules (a symbolic link) and never touches this tree's dist/.
 */
import { spawn, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface LocalRun {
  /** Where it serves, as the banner prints it: http://localhost:<port>. */
  origin: string;
  /** Everything it printed so far (stdout and stderr), kept in memory only. */
  output(): string;
  /** The copy of the project it runs in. */
  project: string;
  /** Its TMPDIR and XDG_CONFIG_HOME. */
  tmp: string;
  config: string;
  /** Ctrl+C, as a person would stop it; resolves once it has exited. */
  stop(): Promise<void>;
}

/** A TCP port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer().once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

/** The files git tracks or would track here, copied to `project`, with node_modules linked. */
function copyProject(project: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
  for (const file of files.split("\0").filter((f) => f && existsSync(join(root, f)))) {
    mkdirSync(dirname(join(project, file)), { recursive: true });
    copyFileSync(join(root, file), join(project, file));
  }
  symlinkSync(join(root, "node_modules"), join(project, "node_modules"), "dir");
}

/** The top-level entries of the copy that it owns (node_modules is this project's, linked). */
export const ownEntries = (project: string): string[] => readdirSync(project).filter((e) => e !== "node_modules").map((e) => join(project, e));

/**
 * Copies the project below `dir`, writes its `.dev.vars` with `secret`, and
 * runs `npm start` there until its whole banner is printed (the server answers).
 */
export async function startLocalCopy(dir: string, secret: string, timeoutMs = 150_000): Promise<LocalRun> {
  const [project, tmp, config] = ["project", "tmp", "config"].map((d) => join(dir, d));
  for (const d of [project, tmp, config]) mkdirSync(d, { recursive: true });
  copyProject(project);
  writeFileSync(join(project, ".dev.vars"), `SESSION_SECRET=${secret}\n`, { mode: 0o600 });
  const port = await freePort();

  const child = spawn(process.execPath, [join(project, "scripts/start.ts")], {
    cwd: project,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, PORT: String(port), TMPDIR: tmp, XDG_CONFIG_HOME: config, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  let output = "";
  const exited = new Promise<void>((ok) => child.once("exit", () => ok()));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`npm start printed no banner within ${timeoutMs / 1000}s:\n${output}`)), timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      // The banner's last line: the links above it are all printed.
      if (output.includes("Nothing is stored: stopping the server")) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    void exited.then(() => (clearTimeout(timer), fail(new Error(`npm start exited before its banner:\n${output}`))));
  });

  return {
    origin: `http://localhost:${port}`,
    output: () => output,
    project,
    tmp,
    config,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGINT");
      const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
