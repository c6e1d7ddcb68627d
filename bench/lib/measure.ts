/** Every figure for one target, phase by phase; a failed phase is recorded, not fatal. */
import { join } from "node:path";
import { ourClientJs, servedPageJs, type ClientJs } from "./client-size.ts";
import type { Params } from "./config.ts";
import { navigation, type Navigation } from "./navigation.ts";
import { capacity, fanOut, memoryPerPatient, sampleLatency, type Capacity, type FanOut, type Latency, type Memory } from "./phases.ts";
import { LoadRoom } from "./room.ts";
import type { Target, TargetName } from "./targets/types.ts";
import { Tracker, sleep } from "./tracker.ts";

export interface LatencyLevel extends Latency {
  patients: number;
}

export interface TargetResult {
  name: TargetName;
  clientJs?: ClientJs;
  navigation?: Navigation;
  memory?: Memory;
  latency: LatencyLevel[];
  fanOut?: FanOut;
  capacity?: Capacity;
  /** Error frames the server sent, by code. None are expected. */
  errorFrames: Record<string, number>;
  /** Phases that failed, with why. */
  failed: Record<string, string>;
  seconds: number;
}

export interface MeasureOptions {
  params: Params;
  distClient: string;
  log: (line: string) => void;
  /** Registers a stop function to run if the benchmark is interrupted. */
  onStop: (stop: () => Promise<void>) => () => void;
}

export async function measureTarget(
  name: TargetName,
  start: (tracker: Tracker) => Promise<Target>,
  { params, distClient, log, onStop }: MeasureOptions,
): Promise<TargetResult> {
  const began = performance.now();
  const tracker = new Tracker();
  const result: TargetResult = { name, latency: [], errorFrames: tracker.errors, failed: {}, seconds: 0 };
  const phase = async <T>(label: string, run: () => Promise<T>): Promise<T | undefined> => {
    log(`${name}: ${label}`);
    try {
      return await run();
    } catch (err) {
      result.failed[label] = (err as Error).message;
      log(`${name}: ${label} FAILED: ${(err as Error).message}`);
      return undefined;
    }
  };

  const target = await start(tracker);
  log(`${name}: serving on ${target.url}`);
  const unregister = onStop(() => target.stop());
  try {
    // First, while the server holds nothing but a warm-up room: freed
    // memory from earlier phases would otherwise be reused and hide the cost.
    result.memory = await phase(`memory (${params.memoryPatients} idle patients)`, () =>
      memoryPerPatient(target, params.memoryPatients, params.concurrency, params.settleMs),
    );

    if (target.pages) {
      result.clientJs = await phase("client JavaScript", async () =>
        name === "ours"
          ? ourClientJs(distClient)
          : { patient: await servedPageJs(`${target.url}/r/bench-nav`), provider: await servedPageJs(`${target.url}/provider`) },
      );
      result.navigation = await phase(`navigation (${params.navigationRuns} runs)`, () =>
        navigation(`${target.url}/r/bench-nav`, params.navigationRuns),
      );
    }

    const room = new LoadRoom(target, "bench-latency", params.concurrency);
    try {
      await phase("latency", async () => {
        await room.addProvider();
        for (const patients of params.latencyPatients) {
          log(`${name}: latency with ${patients} patients`);
          await room.growTo(patients);
          await sleep(params.settleMs);
          result.latency.push({ patients, ...(await sampleLatency(tracker, room, params.samples, params.warmup)) });
        }
      });
      result.fanOut = await phase(`fan-out to ${params.fanOutPatients}`, async () => {
        if (!room.provider) await room.addProvider();
        await room.growTo(params.fanOutPatients);
        await sleep(params.settleMs);
        return fanOut(target, tracker, room, params.fanOutRuns);
      });
    } finally {
      room.close();
    }

    result.capacity = await phase(`capacity (steps ${params.capacitySteps.join(", ")})`, () =>
      capacity(target, tracker, {
        steps: params.capacitySteps,
        samples: params.capacitySamples,
        rounds: params.capacityRounds,
        warmup: params.warmup,
        limitMs: params.capacityLimitMs,
        concurrency: params.concurrency,
        settleMs: params.settleMs,
        log,
      }),
    );
  } finally {
    unregister();
    await target.stop();
  }
  result.seconds = (performance.now() - began) / 1000;
  log(`${name}: done in ${result.seconds.toFixed(1)} s`);
  return result;
}

export const distClientOf = (root: string) => join(root, "dist", "client");
