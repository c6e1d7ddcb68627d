/**
 * npm start        build the app, then serve it on workerd at http://localhost:${PORT:-8787}
 * npm run dev      the same app from Vite's dev server, with hot reload
 *
 * No Cloudflare account and no network needed: Vite's Cloudflare plugin runs the
 * Worker and its Durable Objects in a local workerd, keeping no state on disk.
 * Prints the demo room's patient URL and a provider link once the server answers.
 * That link is a credential and ends up in terminal scrollback and logs, so it
 * is short-lived (DEMO_LINK_HOURS) and the banner says what it is.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readdirSync, realpathSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { constants } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { UsageError, localPort, providerLink } from "./lib/provider-link.ts";
import { DEV_VARS_PATH, REPO_ROOT, SECRET_KEY, ensureDevSecret } from "./lib/secret.ts";

const DEMO_ROOM = "demo";
const DEMO_PROVIDER = "Demo Provider";
/** How long the printed provider link lets anyone holding it sign in. */
const DEMO_LINK_HOURS = 12;
/** How long to wait for the server to answer before printing the banner anyway. */
const READY_TIMEOUT_MS = 180_000;
/** After forwarding a stop signal, how long the child gets before SIGKILL. */
const STOP_GRACE_MS = 10_000;

const log = (line = "") => process.stdout.write(`${line}\n`);
const warn = (line: string) => process.stderr.write(`start: ${line}\n`);

function die(message: string, code = 1): never {
  warn(message);
  process.exit(code);
}

// ---------------------------------------------------------------- arguments

let dev = false;
let port = 8787;
try {
  const { values } = parseArgs({ args: process.argv.slice(2), strict: true, options: { dev: { type: "boolean" } } });
  dev = values.dev === true;
  port = localPort();
} catch (err) {
  die(err instanceof UsageError ? err.message : `${(err as Error).message}\nUsage: npm start  |  npm run dev`);
}
const origin = `http://localhost:${port}`;

// ---------------------------------------------------------- child processes

let child: ChildProcess | null = null;
let stopSignal: NodeJS.Signals | null = null;

const isRunning = (cp: ChildProcess | null): cp is ChildProcess => !!cp && cp.exitCode === null && cp.signalCode === null;

/** Process ids below `pid` (Linux /proc; empty elsewhere). */
function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** Last resort: kill the child and everything it started (workerd among them). */
function forceKill(cp: ChildProcess): void {
  if (!isRunning(cp) || cp.pid === undefined) return;
  const below = descendants(cp.pid);
  cp.kill("SIGKILL");
  for (const pid of below) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  if (!isRunning(child)) process.exit(128 + (constants.signals[signal] ?? 1));
  if (stopSignal) {
    // A second Ctrl+C: do not wait any longer.
    forceKill(child);
    return;
  }
  stopSignal = signal;
  child.kill(signal);
  const cp = child;
  setTimeout(() => {
    if (isRunning(cp)) {
      warn(`the server did not stop within ${STOP_GRACE_MS / 1000}s; killing it.`);
      forceKill(cp);
    }
  }, STOP_GRACE_MS).unref();
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 1) : 1);
}

/** The real path of Vite's CLI script in this repo's node_modules/.bin. */
function viteCli(): string {
  const bin = join(REPO_ROOT, "node_modules", ".bin", "vite");
  if (!existsSync(bin)) die("node_modules/.bin/vite is missing. Run `npm install` (or `npm ci`) first.");
  return realpathSync(bin);
}

/**
 * Runs Vite with this same Node binary (so an older `node` earlier on PATH is
 * never picked up by the CLI's shebang). Output goes straight to our terminal.
 */
function runVite(args: string[]): { cp: ChildProcess; done: Promise<number> } {
  // With a terminal, Vite gets it (dev server shortcuts). Without one, an open
  // pipe: Vite stops by itself if this process disappears and the pipe ends.
  const stdin = process.stdin.isTTY ? "inherit" : "pipe";
  const cp = spawn(process.execPath, [viteCli(), ...args], {
    cwd: REPO_ROOT,
    stdio: [stdin, "inherit", "inherit"],
    env: {
      ...process.env,
      PORT: String(port),
      WRANGLER_SEND_METRICS: "false",
      // Miniflare would otherwise download a sample `request.cf` object from Cloudflare.
      CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? "false",
    },
  });
  child = cp;
  const done = new Promise<number>((resolve) => {
    cp.on("error", (err) => {
      warn(`could not run vite: ${err.message}`);
      resolve(1);
    });
    cp.on("exit", (code, signal) => resolve(exitCodeOf(code, signal)));
  });
  return { cp, done };
}

// ------------------------------------------------------------------ network

/** True if something accepts TCP connections on localhost:port. */
function portTaken(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "localhost", port: p, autoSelectFamily: true });
    const finish = (taken: boolean) => {
      socket.destroy();
      resolve(taken);
    };
    socket.setTimeout(2000, () => finish(false));
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}

/** True once an HTTP request to the server gets any response. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: "GET", timeout: 5000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once("timeout", () => req.destroy());
    req.once("error", () => resolve(false));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntilAnswering(url: string, exited: Promise<number>): Promise<"ready" | "exited" | "timeout"> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (gone || stopSignal) return "exited";
    if (await answers(url)) return "ready";
    await sleep(300);
  }
  return "timeout";
}

// --------------------------------------------------------------------- main

async function main(): Promise<number> {
  if (await portTaken(port)) {
    die(`port ${port} is already in use (another \`npm start\`?). Stop that server or choose another port: PORT=8788 npm start`);
  }

  const { secret, created } = ensureDevSecret();
  const devVars = relative(process.cwd(), DEV_VARS_PATH) || ".dev.vars";
  if (created) log(`Created ${devVars} with a random ${SECRET_KEY} for local runs (git-ignored; keep it private).`);
  const envSecret = process.env[SECRET_KEY];
  if (envSecret && envSecret !== secret) {
    warn(
      `${SECRET_KEY} is set in your environment, but the local server uses the one in ${devVars}. ` +
        `Links made with \`npm run provider-link\` in this shell will not work locally; unset ${SECRET_KEY} for local links.`,
    );
  }

  if (!dev) {
    log("Building the app (vite build)…");
    const build = runVite(["build"]);
    const code = await build.done;
    if (stopSignal) return code;
    if (code !== 0) {
      warn(`vite build failed (exit code ${code}).`);
      return code;
    }
  }

  const server = runVite(dev ? [] : ["preview"]);
  const state = await waitUntilAnswering(`${origin}/`, server.done);
  if (state === "exited") {
    const code = await server.done;
    if (!stopSignal) warn(`vite ${dev ? "dev server" : "preview"} stopped before it answered on ${origin} (exit code ${code}).`);
    return code;
  }
  if (state === "timeout") warn(`${origin} did not answer within ${READY_TIMEOUT_MS / 1000}s; the links below may not work yet.`);

  const providerUrl = await providerLink({ secret, room: DEMO_ROOM, name: DEMO_PROVIDER, baseUrl: origin, days: DEMO_LINK_HOURS / 24 });
  log();
  log(`  queue-chat is running at ${origin}/  (${dev ? "Vite dev server with hot reload" : "production build on workerd"})`);
  log();
  log(`  Patient waiting room:   ${origin}/r/${DEMO_ROOM}`);
  log(`  Provider dashboard for "${DEMO_PROVIDER}": this link is a credential, valid for ${DEMO_LINK_HOURS} hours.`);
  log("  Anyone who has it can sign in as this provider: do not share it or paste it anywhere.");
  log(`    ${providerUrl}`);
  log();
  log(`  Another provider link:  npm run --silent provider-link -- <room> "<Provider name>"`);
  log("  Nothing is stored: stopping the server (Ctrl+C) ends every session.");
  log();

  return server.done;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    warn(err instanceof Error ? (err.stack ?? err.message) : String(err));
    if (isRunning(child)) forceKill(child);
    process.exit(1);
  },
);
