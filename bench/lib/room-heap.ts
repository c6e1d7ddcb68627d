/** Runs bench/heap/room-heap.ts: bundled (the room's modules import without extensions), in a Node of its own. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

export interface RoomHeap {
  patients: number;
  bytesPerPatient: number;
  heapBytes: number;
}

export async function roomHeapPerPatient(root: string, patients: number): Promise<RoomHeap> {
  const dir = mkdtempSync(join(tmpdir(), "queue-chat-heap-"));
  try {
    const file = join(dir, "room-heap.mjs");
    await build({ entryPoints: [join(root, "bench/heap/room-heap.ts")], bundle: true, platform: "node", format: "esm", outfile: file, logLevel: "error" });
    const run = spawnSync(process.execPath, ["--expose-gc", file, String(patients)], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`room heap run failed: ${run.stderr.trim().split("\n").at(-1)}`);
    return JSON.parse(run.stdout) as RoomHeap;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
