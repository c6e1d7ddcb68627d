/** The load phases, the same for every target. */
import { rssBytes } from "./proc.ts";
import { LoadRoom, type Member } from "./room.ts";
import { median, stats, type Stats } from "./stats.ts";
import type { Target } from "./targets/types.ts";
import { sleep, type Tracker } from "./tracker.ts";

/** 58 characters: a typical short chat line. */
const TEXT = "Hello, I am running a few minutes late, is that all right?";
const SAMPLE_TIMEOUT_MS = 10_000;
const FANOUT_TIMEOUT_MS = 60_000;

let cids = 0;
const nextCid = () => `b${(++cids).toString(36)}`;

export interface Latency {
  toProvider: Stats;
  toPatient: Stats;
  /** Both directions' samples together. */
  both: Stats;
}

/**
 * A quiet room: one message at a time, one every 55 ms, alternating
 * directions. Every sample starts from the same idle state, and the
 * provider's socket sends about 9 frames/s, under the room's limit of 10.
 */
const SAMPLE_GAP_MS = 55;

/**
 * One-way latency: from the sender's send() to the receiver's message event.
 * Alternates patient → provider and provider → patient; patients take turns,
 * spread over the room. Each sample also waits for the sender's own copy, so
 * nothing is in flight when the next one starts.
 */
export async function sampleLatency(tracker: Tracker, room: LoadRoom, samples: number, warmup: number): Promise<Latency> {
  const provider = room.provider!;
  const toProvider: number[] = [];
  const toPatient: number[] = [];
  const n = room.patients.length;
  let next = performance.now();
  const once = async (from: Member, to: "provider" | "patient", send: (cid: string) => void) => {
    await sleep(next - performance.now());
    await from.pacer.take();
    const cid = nextCid();
    const echo = to === "provider" ? "patient" : "provider";
    const both = Promise.all([tracker.expect(to, cid, 1, SAMPLE_TIMEOUT_MS), tracker.expect(echo, cid, 1, SAMPLE_TIMEOUT_MS)]);
    const sent = performance.now();
    next = sent + SAMPLE_GAP_MS;
    send(cid);
    const [received] = await both;
    return received - sent;
  };
  for (let i = 0; i < warmup + samples; i++) {
    const patient = room.patients[(i * 7919) % n];
    const up = await once(patient, "provider", (cid) => patient.conn.sendToProvider(cid, TEXT));
    const down = await once(provider, "patient", (cid) => provider.conn.sendToPatient(patient.conn.id, cid, TEXT));
    if (i >= warmup) {
      toProvider.push(up);
      toPatient.push(down);
    }
  }
  return { toProvider: stats(toProvider), toPatient: stats(toPatient), both: stats([...toProvider, ...toPatient]) };
}

export interface FanOut {
  patients: number;
  /** Send → the last patient's message event, per run. */
  runsMs: number[];
  medianMs: number;
  /** Patients reached per second in the median run. */
  deliveriesPerSecond: number;
}

/** The provider's broadcast to everyone waiting, `runs` times, one at a time. */
export async function fanOut(target: Target, tracker: Tracker, room: LoadRoom, runs: number): Promise<FanOut> {
  const provider = room.provider!;
  const patients = room.patients.length;
  const runsMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    await provider.pacer.take();
    const cid = nextCid();
    const all = Promise.all([
      tracker.expect("patient", cid, patients, FANOUT_TIMEOUT_MS),
      tracker.expect("provider", cid, target.broadcastEchoes(patients), FANOUT_TIMEOUT_MS),
    ]);
    const sent = performance.now();
    provider.conn.broadcast(cid, TEXT);
    const [last] = await all;
    runsMs.push(last - sent);
  }
  const medianMs = stats(runsMs).p50;
  return { patients, runsMs, medianMs, deliveriesPerSecond: (patients / medianMs) * 1000 };
}

export interface Memory {
  patients: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  bytesPerPatient: number;
}

/**
 * Server RSS before and after `count` idle patients connect to a fresh room
 * with no provider. A small room first warms up every code path involved.
 */
export async function memoryPerPatient(target: Target, count: number, concurrency: number, settleMs: number): Promise<Memory> {
  const warm = new LoadRoom(target, "bench-warm", concurrency);
  await warm.growTo(Math.min(50, count));
  warm.close();
  await sleep(settleMs);
  const room = new LoadRoom(target, "bench-memory", concurrency);
  try {
    const rssBeforeBytes = rssBytes(target.pid);
    await room.growTo(count);
    await sleep(settleMs);
    const rssAfterBytes = rssBytes(target.pid);
    return { patients: count, rssBeforeBytes, rssAfterBytes, bytesPerPatient: (rssAfterBytes - rssBeforeBytes) / count };
  } finally {
    room.close();
  }
}

export interface CapacityStep {
  patients: number;
  connectMs?: number;
  /** The step's p99: the median of its rounds' p99s, so one slow sample cannot decide it. */
  p99Ms?: number;
  /** Each round's p99 (patient → provider), in order: the spread of repeated measures. */
  roundsP99Ms?: number[];
  /** Samples taken at this step, over all rounds. */
  samples?: number;
  error?: string;
}

export interface Capacity {
  limitMs: number;
  steps: CapacityStep[];
  /** The largest step whose p99 stayed within the limit (0: none). */
  patients: number;
  /** True if no step passed the limit: the figure is a lower bound. */
  capped: boolean;
}

export interface CapacityOptions {
  steps: number[];
  /** Samples per round, and rounds per step (a settle time before each). */
  samples: number;
  rounds: number;
  warmup: number;
  limitMs: number;
  concurrency: number;
  settleMs: number;
  log: (line: string) => void;
}

/** Gap between capacity samples: each from another patient, so no one person's frame budget paces it. */
const CAPACITY_GAP_MS = 15;

/**
 * Patient → provider latency, `samples` times, each from the next patient
 * in a spread over the room, one message in flight at a time.
 */
async function sampleUp(tracker: Tracker, room: LoadRoom, samples: number, warmup: number, offset: number): Promise<number[]> {
  const out: number[] = [];
  const n = room.patients.length;
  let next = performance.now();
  for (let i = 0; i < warmup + samples; i++) {
    const patient = room.patients[((offset + i) * 7919) % n];
    await sleep(next - performance.now());
    await patient.pacer.take();
    const cid = nextCid();
    const both = Promise.all([tracker.expect("provider", cid, 1, SAMPLE_TIMEOUT_MS), tracker.expect("patient", cid, 1, SAMPLE_TIMEOUT_MS)]);
    const sent = performance.now();
    next = sent + CAPACITY_GAP_MS;
    patient.conn.sendToProvider(cid, TEXT);
    const [received] = await both;
    if (i >= warmup) out.push(received - sent);
  }
  return out;
}

/**
 * Steps the room up until p99 latency passes `limitMs`, or the last step.
 * Each step is sampled at rest, `settleMs` after the last patient connected,
 * not in the tail of the connection storm, in `rounds` rounds of `samples`
 * with a settle time before each; the step's p99 is the median of the
 * rounds' p99s, and the spread of the rounds goes into the report.
 */
export async function capacity(target: Target, tracker: Tracker, options: CapacityOptions): Promise<Capacity> {
  const { steps, samples, rounds, warmup, limitMs, concurrency, settleMs, log } = options;
  const room = new LoadRoom(target, "bench-capacity", concurrency);
  const done: CapacityStep[] = [];
  let patients = 0;
  let capped = true;
  try {
    await room.addProvider();
    for (const step of steps) {
      let connectMs: number;
      try {
        connectMs = await room.growTo(step, (k) => log(`    ${k} connected`));
      } catch (err) {
        done.push({ patients: step, error: (err as Error).message });
        log(`    ${step} patients: ${(err as Error).message}`);
        capped = false;
        break;
      }
      const roundsP99Ms: number[] = [];
      for (let r = 0; r < rounds; r++) {
        await sleep(settleMs);
        roundsP99Ms.push(stats(await sampleUp(tracker, room, samples, warmup, r * samples)).p99);
      }
      const p99Ms = median(roundsP99Ms);
      done.push({ patients: step, connectMs, p99Ms, roundsP99Ms, samples: samples * rounds });
      log(`    ${step} patients: p99 ${p99Ms.toFixed(2)} ms, rounds ${roundsP99Ms.map((v) => v.toFixed(1)).join(" / ")} ms (connected in ${(connectMs / 1000).toFixed(1)} s)`);
      if (p99Ms > limitMs) {
        capped = false;
        break;
      }
      patients = step;
    }
  } finally {
    room.close();
  }
  return { limitMs, steps: done, patients, capped };
}
