/** Runs bench/heap/room-heap.ts: bundled (the room's modules import without extensions), in a Node of its own. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RoomHeap {
  patients: number;
  bytesPerPatient: number;
  heapBytes: number;
}

export function roomHeapPerPatient(root: string, patients: number): RoomHeap {
  const dir = mkdtempSync(join(tmpdir(), "queue-chat-heap-"));
  try {
    const file = join(dir, "room-heap.mjs");
    // esbuild's command line, run to its end: its JavaScript API leaves a service process running.
    const bundle = spawnSync(join(root, "node_modules/.bin/esbuild"), [join(root, "bench/heap/room-heap.ts"), "--bundle", "--platform=node", "--format=esm", `--outfile=${file}`, "--log-level=error"], { encoding: "utf8" });
    if (bundle.status !== 0) throw new Error(`bundling the room heap run failed: ${bundle.stderr.trim()}`);
    const run = spawnSync(process.execPath, ["--expose-gc", file, String(patients)], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`room heap run failed: ${run.stderr.trim().split("\n").at(-1)}`);
    return JSON.parse(run.stdout) as RoomHeap;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
