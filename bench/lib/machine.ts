/** What the figures came from. */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, cpus, release, totalmem, type } from "node:os";
import { join } from "node:path";
import { openFileLimit } from "./proc.ts";

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
  workerd: string;
  ws: string;
  socketIo: string;
  openFiles: number;
}

function packageVersion(root: string, ...candidates: string[]): string {
  for (const dir of candidates) {
    const file = join(root, "node_modules", dir, "package.json");
    if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  }
  return "unknown";
}

/** The workerd Miniflare runs: its own copy if it has one, else the top-level one. */
function workerdVersion(root: string): string {
  const dirs = ["miniflare/node_modules/workerd", "workerd"];
  const version = packageVersion(root, ...dirs);
  for (const dir of dirs) {
    const bin = join(root, "node_modules", dir, "bin", "workerd");
    if (!existsSync(bin)) continue;
    try {
      const out = execFileSync(bin, ["--version"], { encoding: "utf8", timeout: 10_000 }).trim();
      return `${version} (${out})`;
    } catch {
      break;
    }
  }
  return version;
}

export function machine(root: string): Machine {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    workerd: workerdVersion(root),
    ws: packageVersion(root, "ws"),
    socketIo: packageVersion(root, "socket.io"),
    openFiles: openFileLimit(),
  };
}
