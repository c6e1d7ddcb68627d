/** How much load each run applies, and the goals the figures are read against. */

export interface Params {
  mode: "quick" | "full";
  /** Patients connected while latency is sampled, one level after another. */
  latencyPatients: number[];
  /** Latency samples per direction and level (or step), after `warmup` uncounted ones. */
  samples: number;
  warmup: number;
  /** Rounds of `inTurnSamples` each, taken in turn on ours and the bare Durable Object served side by side. */
  inTurnRounds: number;
  inTurnSamples: number;
  fanOutPatients: number;
  fanOutRuns: number;
  memoryPatients: number;
  /** Patients in the plain room whose JavaScript heap is read (no runtime). */
  heapPatients: number;
  /** Room sizes tried in turn until p99 passes `capacityLimitMs`. */
  capacitySteps: number[];
  /** Samples per round, rounds per step. */
  capacitySamples: number;
  capacityRounds: number;
  capacityLimitMs: number;
  navigationRuns: number;
  /** Patients connecting at once. */
  concurrency: number;
  /** Pause after connecting patients, before memory or latency is read. */
  settleMs: number;
}

export const FULL: Params = {
  mode: "full",
  latencyPatients: [1, 100, 1000],
  samples: 100,
  warmup: 5,
  inTurnRounds: 8,
  inTurnSamples: 50,
  fanOutPatients: 1000,
  fanOutRuns: 5,
  memoryPatients: 2000,
  heapPatients: 10_000,
  capacitySteps: [500, 1000, 2000, 3000, 5000, 7500, 10000],
  capacitySamples: 150,
  capacityRounds: 3,
  capacityLimitMs: 50,
  navigationRuns: 7,
  concurrency: 50,
  settleMs: 1000,
};

export const QUICK: Params = {
  mode: "quick",
  latencyPatients: [1, 50],
  samples: 10,
  warmup: 2,
  inTurnRounds: 2,
  inTurnSamples: 10,
  fanOutPatients: 200,
  fanOutRuns: 3,
  memoryPatients: 200,
  heapPatients: 1000,
  capacitySteps: [100, 250],
  capacitySamples: 20,
  capacityRounds: 2,
  capacityLimitMs: 50,
  navigationRuns: 1,
  concurrency: 50,
  settleMs: 300,
};

/** Descriptors a server or the load generator needs besides the sockets of the largest room. */
const FD_HEADROOM = 1000;
/** workerd holds two descriptors per WebSocket connection (it dup()s each socket). */
const FDS_PER_PATIENT = 2;

/**
 * Drops room sizes that would run out of open files (servers inherit this
 * process's limit) and tries the largest size that fits instead.
 */
export function fitToFileLimit(params: Params, openFiles: number): { params: Params; dropped: number[] } {
  const largest = Math.floor((openFiles - FD_HEADROOM) / FDS_PER_PATIENT / 500) * 500;
  const steps = params.capacitySteps.filter((n) => n <= largest);
  const dropped = params.capacitySteps.filter((n) => n > largest);
  if (dropped.length > 0 && largest > (steps.at(-1) ?? 0)) steps.push(largest);
  return { params: { ...params, capacitySteps: steps }, dropped };
}

/**
 * Goals, read against the bare Durable Object (the platform's floor) where
 * they are ratios. They are reported beside the figures, never asserted.
 */
export const GOALS = {
  relayP50VsBare: 1.1,
  fanOutVsBare: 1.2,
  patientsPerRoom: 9500,
  roomHeapPerPatientBytes: 1500,
  patientPageJsBytes: 12_000,
  providerPageJsBytes: 30_000,
} as const;
