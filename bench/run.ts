/**
 * npm run bench              the full run (a few minutes)
 * npm run bench -- --quick   smaller rooms, ours and the bare Durable Object only, under a minute with the build
 *   --only ours,bare         measure only some targets (ours, bare DO, ws, socket.io)
 *   --verbose                also show the worker's log lines (on stderr)
 *
 * Builds the app, boots the built worker in workerd through Miniflare, and
 * drives it and two peers (a bare `ws` relay and a Socket.IO chat, each a
 * child process) with one load generator: this process. Prints a table on
 * stdout, progress on stderr, and writes the figures as JSON under
 * bench-results/. Everything it starts is stopped at the end or on error.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FULL, GOALS, QUICK, fitToFileLimit } from "./lib/config.ts";
import { machine } from "./lib/machine.ts";
import { distClientOf, measureTarget, type TargetResult } from "./lib/measure.ts";
import { relayInTurn, type InTurn } from "./lib/in-turn.ts";
import { descendants } from "./lib/proc.ts";
import { notes, rows, table } from "./lib/report.ts";
import { roomHeapPerPatient, type RoomHeap } from "./lib/room-heap.ts";
import { startBare } from "./lib/targets/bare.ts";
import { startOurs } from "./lib/targets/ours.ts";
import { startSocketIo } from "./lib/targets/socketio.ts";
import type { StartTarget, TargetName } from "./lib/targets/types.ts";
import { startWsRelay } from "./lib/targets/ws-relay.ts";
import { sleep } from "./lib/tracker.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const STARTERS: Record<TargetName, StartTarget> = { ours: startOurs, "bare DO": startBare, ws: startWsRelay, "socket.io": startSocketIo };
const QUICK_TARGETS: TargetName[] = ["ours", "bare DO"];

const { values: args } = parseArgs({
  options: { quick: { type: "boolean" }, only: { type: "string" }, verbose: { type: "boolean" } },
});
const began = performance.now();
const log = (line: string) => process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

// Nothing may reach the internet: no telemetry, no request.cf download.
process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";

// Miniflare forwards workerd's stdout (the worker's audit log, one line per
// patient) through console.log; stdout is for the table only.
const stderrConsole = console.error.bind(console);
console.log = (...parts: unknown[]) => {
  if (args.verbose) stderrConsole(...parts);
};

// ---- stopping everything, also on error or Ctrl-C ---------------------------

const stops = new Set<() => Promise<void>>();
const onStop = (stop: () => Promise<void>) => {
  stops.add(stop);
  return () => void stops.delete(stop);
};

let stopping: Promise<void> | undefined;
let interrupted = false;

/** Stops everything once, however many paths ask. */
const stopAll = () => (stopping ??= stopEverything());

async function stopEverything(): Promise<void> {
  for (const stop of [...stops].reverse()) await stop().catch((err: Error) => log(`stopping failed: ${err.message}`));
  stops.clear();
  // Anything still below this process was started by it (workerd, a peer, a browser).
  const left = descendants();
  for (const p of left) {
    log(`still running after stop, killing: ${p.comm} (${p.pid})`);
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  for (let i = 0; i < 20 && descendants().length > 0; i++) await sleep(100);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    interrupted = true;
    void stopAll().finally(() => process.exit(130));
  });
}

// Miniflare's own exit hook answers SIGINT/SIGTERM with process.exit() at
// once (after killing workerd), before the stops above can finish: whatever
// is still below this process when it exits is killed here, synchronously.
process.on("exit", () => {
  for (const p of descendants()) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

// ---- the run ------------------------------------------------------------------

async function main(): Promise<void> {
  const info = machine(ROOT);
  const fitted = fitToFileLimit(args.quick ? QUICK : FULL, info.openFiles);
  const params = fitted.params;
  if (fitted.dropped.length > 0) log(`open-file limit ${info.openFiles}: skipping rooms of ${fitted.dropped.join(", ")}`);
  const known = Object.keys(STARTERS) as TargetName[];
  // A target by its name or the start of it (`bare` for "bare DO"). The quick
  // run compares us with the platform's floor only; the peers run in the full one.
  const names = args.only?.split(",").map((asked) => {
    const name = known.find((n) => n === asked.trim()) ?? known.find((n) => n.startsWith(asked.trim()));
    if (!name) throw new Error(`unknown target ${asked}; use ${known.join(", ")}`);
    return name;
  }) ?? (args.quick ? QUICK_TARGETS : known);

  log("building the app (vite build)");
  const build = spawnSync(process.execPath, [join(ROOT, "node_modules/vite/bin/vite.js"), "build"], {
    cwd: ROOT,
    stdio: ["ignore", process.stderr, process.stderr],
  });
  if (build.status !== 0) throw new Error("vite build failed");

  const results: TargetResult[] = [];
  for (const name of names) {
    results.push(await measureTarget(name, STARTERS[name], { params, distClient: distClientOf(ROOT), log, onStop }));
  }

  let inTurn: InTurn | undefined;
  if (names.includes("ours") && names.includes("bare DO")) {
    log(`ours and bare DO in turn: relay, ${params.inTurnRounds} rounds of ${params.inTurnSamples} samples each`);
    inTurn = await relayInTurn(startOurs, startBare, params, onStop).catch((err: Error) => {
      log(`relay in turn FAILED: ${err.message}`);
      return undefined;
    });
  }

  let roomHeap: RoomHeap | undefined;
  if (names.includes("ours")) {
    log(`ours: JS heap of the plain room (${params.heapPatients} idle patients, Node)`);
    roomHeap = roomHeapPerPatient(ROOT, params.heapPatients);
  }

  const browser = results.find((r) => r.navigation)?.navigation?.browser;
  const all = rows(results, params, roomHeap, inTurn);
  const text = `${table(all, info, params, browser)}\n\n${notes(results, params, info, fitted.dropped, inTurn).join("\n")}\n`;

  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = join(ROOT, "bench-results", `bench-${stamp}${args.quick ? "-quick" : ""}.json`);
  mkdirSync(dirname(file), { recursive: true });
  const wallSeconds = (performance.now() - began) / 1000;
  writeFileSync(file, `${JSON.stringify({ mode: params.mode, at: new Date().toISOString(), wallSeconds, machine: { ...info, browser }, params, goals: GOALS, rows: all, results, inTurn, roomHeap, table: text }, null, 2)}\n`);
  process.stdout.write(`${text}\nFigures as JSON: ${relative(process.cwd(), file)}\n`);
  log(`finished in ${wallSeconds.toFixed(1)} s`);
}

let code = 0;
try {
  await main();
} catch (err) {
  if (!interrupted) log(`benchmark failed: ${(err as Error).stack ?? err}`);
  code = 1;
} finally {
  await stopAll();
}
process.exit(interrupted ? 130 : code);
