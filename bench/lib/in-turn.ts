/**
 * The relay of ours and of the bare Durable Object, measured in turn: both
 * served at once, one quiet room each (a provider and one patient), and
 * rounds of latency samples taken alternately, so that whatever else the
 * machine does in the meantime falls on both. Measured one after the
 * other, minutes apart, the two moved by up to a tenth of a millisecond
 * between back-to-back runs of one build, about as much as the goal's 10%.
 */
import type { Params } from "./config.ts";
import { sampleLatency } from "./phases.ts";
import { LoadRoom } from "./room.ts";
import type { StartTarget, Target } from "./targets/types.ts";
import { Tracker } from "./tracker.ts";

export interface InTurn {
  rounds: number;
  samplesPerRound: number;
  /** Each round's p50 in ms, per direction and target. */
  ours: { toProvider: number[]; toPatient: number[] };
  bare: { toProvider: number[]; toPatient: number[] };
}

export async function relayInTurn(
  startOurs: StartTarget,
  startBare: StartTarget,
  params: Params,
  onStop: (stop: () => Promise<void>) => () => void,
): Promise<InTurn> {
  const tracker = new Tracker();
  const targets: Target[] = [];
  const unregister: (() => void)[] = [];
  const rooms: LoadRoom[] = [];
  try {
    for (const start of [startOurs, startBare]) {
      const target = await start(tracker);
      targets.push(target);
      unregister.push(onStop(() => target.stop()));
      const room = new LoadRoom(target, "bench-in-turn", params.concurrency);
      rooms.push(room);
      await room.addProvider();
      await room.growTo(1);
    }
    const result: InTurn = { rounds: params.inTurnRounds, samplesPerRound: params.inTurnSamples, ours: { toProvider: [], toPatient: [] }, bare: { toProvider: [], toPatient: [] } };
    for (let round = 0; round < params.inTurnRounds; round++) {
      for (const [i, side] of [result.ours, result.bare].entries()) {
        const latency = await sampleLatency(tracker, rooms[i], params.inTurnSamples, params.warmup);
        side.toProvider.push(latency.toProvider.p50);
        side.toPatient.push(latency.toPatient.p50);
      }
    }
    return result;
  } finally {
    for (const room of rooms) room.close();
    for (const target of targets) await target.stop();
    for (const done of unregister) done();
  }
}

/** The spread of the rounds: the lowest and highest ratio of a round's p50s, ours ÷ bare DO. */
export function inTurnSpread(r: InTurn, direction: "toProvider" | "toPatient"): { min: number; max: number } {
  const ratios = r.ours[direction].map((ours, i) => ours / r.bare[direction][i]);
  return { min: Math.min(...ratios), max: Math.max(...ratios) };
}
