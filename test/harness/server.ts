/**
 * Runs the built worker (dist/) in workerd through Miniflare, in this
 * process: the same code `npm start` serves, with test settings. Used by the
 * browser tests and the benchmarks. Run directly to serve until killed:
 *   node test/harness/server.ts   (PORT, SESSION_SECRET, LEAVE_GRACE_SECONDS,
 *   LOG_FILE: also append every line the worker logs there,
 *   STATE_DIR: keep Miniflare's storage there instead of a temporary folder)
 * LOG_FILE and STATE_DIR are emptied at start, so they hold this run only.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Log, LogLevel, Miniflare, convertV4MiniflareOptions } from "miniflare";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface ServerOptions {
  port: number;
  vars?: Record<string, string>;
  /** Receives every line the worker logs (console.*) and every Miniflare message. */
  onLog?: (line: string) => void;
  /**
   * Where Miniflare keeps Durable Object storage, KV, caches and the rest.
   * The room never writes any of it; tests read this folder to prove so.
   * Without it, Miniflare uses a temporary folder removed on stop.
   */
  persistTo?: string;
  /**
   * The benchmark's platform floor: also runs bench/peers/bare-room.ts as a
   * second worker script and binds its Durable Object class into ours as
   * `BENCH_BARE`, which the Worker forwards `/api/bench-bare/<room>/ws` to.
   */
  bare?: boolean;
}

class ForwardLog extends Log {
  private readonly sink: (line: string) => void;
  constructor(sink: (line: string) => void) {
    super(LogLevel.INFO);
    this.sink = sink;
  }
  override log(message: string): void {
    this.sink(message);
  }
}

/** bench/peers/bare-room.ts and the relay it runs, as workerd runs them: JavaScript, their types stripped. */
async function bareWorker(compatibilityDate: string, compatibilityFlags: string[]) {
  const { transformWithOxc } = await import("vite");
  const module = async (file: string) => {
    const path = resolve(root, "bench/peers", file);
    return { type: "ESModule" as const, path, contents: (await transformWithOxc(readFileSync(path, "utf8"), path)).code };
  };
  return {
    name: "bench-bare",
    modules: [await module("bare-room.ts"), await module("relay.ts")],
    compatibilityDate,
    compatibilityFlags,
    durableObjects: { BARE: { className: "BareRoom" } },
  };
}

export async function startServer({ port, vars = {}, onLog, persistTo, bare = false }: ServerOptions) {
  const built = JSON.parse(readFileSync(resolve(root, "dist/queue_chat/wrangler.json"), "utf8")) as {
    compatibility_date: string;
    compatibility_flags: string[];
    vars: Record<string, string>;
  };
  const mf = new Miniflare(convertV4MiniflareOptions({
    host: "127.0.0.1",
    port,
    log: onLog ? new ForwardLog(onLog) : new Log(LogLevel.WARN),
    // The worker's console output reaches workerd's stdout, not `log`.
    ...(onLog ? { handleStructuredLogs: ({ message }: { message: string }) => onLog(message) } : {}),
    logRequests: false,
    ...(persistTo ? { resourcePersistencePath: persistTo } : {}),
    // Never fetch the request.cf object from the internet.
    cf: false,
    // No local tracing (a store of request URLs and log lines) and no local
    // explorer (which writes each Durable Object's name, the room id, into
    // its storage): off by default in Miniflare, on by default in the Vite
    // plugin, so said here too.
    unsafeObservability: false,
    unsafeLocalExplorer: false,
    workers: [
      {
    name: "queue-chat",
    modules: true,
    modulesRoot: resolve(root, "dist/queue_chat"),
    scriptPath: resolve(root, "dist/queue_chat/index.js"),
    compatibilityDate: built.compatibility_date,
    compatibilityFlags: built.compatibility_flags,
    // SQLite-backed, as wrangler.toml declares it for production.
    durableObjects: {
      ROOMS: { className: "RoomDO", useSQLite: true },
      DIRECTORY: { className: "DirectoryDO", useSQLite: true },
      ...(bare ? { BENCH_BARE: { className: "BareRoom", scriptName: "bench-bare" } } : {}),
    },
    bindings: { ...built.vars, SESSION_SECRET: "e2e-secret-not-for-production", ...vars },
    assets: {
      directory: resolve(root, "dist/client"),
      binding: "ASSETS",
      routerConfig: { invoke_user_worker_ahead_of_assets: true, has_user_worker: true },
      assetConfig: { not_found_handling: "404-page" },
    },
      },
      ...(bare ? [await bareWorker(built.compatibility_date, built.compatibility_flags)] : []),
    ],
  }));
  const url = await mf.ready;
  return { url: url.href.replace(/\/$/, ""), mf, stop: () => mf.dispose() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { LOG_FILE, STATE_DIR } = process.env;
  if (LOG_FILE) {
    mkdirSync(dirname(LOG_FILE), { recursive: true });
    writeFileSync(LOG_FILE, "");
  }
  if (STATE_DIR) {
    rmSync(STATE_DIR, { recursive: true, force: true });
    mkdirSync(STATE_DIR, { recursive: true });
  }
  const server = await startServer({
    port: Number(process.env.PORT ?? 8799),
    vars: Object.fromEntries(
      ["SESSION_SECRET", "LEAVE_GRACE_SECONDS", "ROOM_CAPACITY", "CHECKINS_PER_MINUTE", "PROVIDER_IDLE_MINUTES"].filter((k) => process.env[k]).map((k) => [k, process.env[k]!]),
    ),
    onLog: (line) => {
      process.stdout.write(`${line}\n`);
      if (LOG_FILE) appendFileSync(LOG_FILE, `${line}\n`);
    },
    persistTo: STATE_DIR,
  });
  process.stdout.write(`test server on ${server.url}\n`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
