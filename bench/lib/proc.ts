/** Processes, ports and limits, read from Linux's /proc. */
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { createInterface } from "node:readline";

/** Resident memory of a process in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
}

function processes(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      out.push({ pid: Number(entry), ppid, comm });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** Every process below `pid`, children first. */
export function descendants(pid = process.pid): ProcInfo[] {
  const all = processes();
  const found: ProcInfo[] = [];
  let parents = new Set([pid]);
  while (parents.size > 0) {
    const next = all.filter((p) => parents.has(p.ppid));
    found.push(...next);
    parents = new Set(next.map((p) => p.pid));
  }
  return found;
}

/** When a process started, in clock ticks since boot. */
function startedAt(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
}

/** The workerd that Miniflare started last for this process. */
export function workerdPid(): number {
  const found = descendants().filter((p) => p.comm.includes("workerd"));
  if (found.length === 0) throw new Error("no workerd below this process");
  return found.map((p) => ({ pid: p.pid, at: startedAt(p.pid) })).sort((a, b) => b.at - a.at || b.pid - a.pid)[0].pid;
}

/** The soft limit on open files of this process (children inherit it). */
export function openFileLimit(): number {
  const line = /^Max open files\s+(\S+)/m.exec(readFileSync("/proc/self/limits", "utf8"))?.[1];
  return line === undefined || line === "unlimited" ? Infinity : Number(line);
}

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Child {
  pid: number;
  stop(): Promise<void>;
}

/**
 * Runs `node <script>` with PORT set and waits for it to print `listening`.
 * The child is stopped with SIGTERM, then SIGKILL after two seconds.
 */
export function startNodeChild(script: string, port: number, timeoutMs = 15_000): Promise<Child> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(killer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before listening`));
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("listening")) {
        clearTimeout(timer);
        resolve({ pid: child.pid!, stop });
      }
    });
  });
}
