/** The table on stdout: our figures, the peers', ratios, and the goals. */
import { GOALS, type Params } from "./config.ts";
import { inTurnSpread, type InTurn } from "./in-turn.ts";
import type { Machine } from "./machine.ts";
import type { TargetResult } from "./measure.ts";
import type { RoomHeap } from "./room-heap.ts";
import { median } from "./stats.ts";
import type { TargetName } from "./targets/types.ts";

export interface Row {
  figure: string;
  values: Partial<Record<TargetName, number>>;
  /** Values that are lower bounds (the room never passed the limit). */
  atLeast?: Partial<Record<TargetName, boolean>>;
  goal?: string;
  /** yes / NO / ? (not measured far enough), from our value and the ratios. */
  met?: string;
  digits: number;
}

const NAMES: TargetName[] = ["ours", "bare DO", "ws", "socket.io"];
const kB = (bytes: number) => bytes / 1000;

function pick(results: TargetResult[], value: (r: TargetResult) => number | undefined): Partial<Record<TargetName, number>> {
  const out: Partial<Record<TargetName, number>> = {};
  for (const r of results) {
    const v = value(r);
    if (v !== undefined && Number.isFinite(v)) out[r.name] = v;
  }
  return out;
}

const verdict = (ok: boolean | undefined) => (ok === undefined ? "?" : ok ? "yes" : "NO");
const ratioOk = (values: Row["values"], max: number) =>
  values.ours !== undefined && values["bare DO"] !== undefined ? values.ours / values["bare DO"] <= max : undefined;
/** Within the goal's ratio of the bare Durable Object and no slower than Socket.IO, where that was measured. */
const relayOk = (values: Row["values"]) => {
  const ok = ratioOk(values, GOALS.relayP50VsBare);
  const io = values["socket.io"];
  return ok === undefined || io === undefined || values.ours === undefined ? ok : ok && values.ours <= io;
};
const maxOk = (value: number | undefined, max: number) => (value === undefined ? undefined : value <= max);

const arrow = { toProvider: "patient → provider", toPatient: "provider → patient" } as const;

export function rows(results: TargetResult[], params: Params, roomHeap?: RoomHeap, inTurn?: InTurn): Row[] {
  const out: Row[] = [];
  for (const direction of ["toProvider", "toPatient"] as const) {
    for (const patients of params.latencyPatients) {
      const level = (r: TargetResult) => r.latency.find((l) => l.patients === patients)?.[direction];
      const p50 = pick(results, (r) => level(r)?.p50);
      out.push({
        figure: `relay ${arrow[direction]} p50, ${patients} connected (ms)`,
        values: p50,
        goal: `≤ ${GOALS.relayP50VsBare}× bare DO, ≤ socket.io`,
        met: verdict(relayOk(p50)),
        digits: 2,
      });
      out.push({ figure: `relay ${arrow[direction]} p99, ${patients} connected (ms)`, values: pick(results, (r) => level(r)?.p99), digits: 2 });
    }
  }
  if (inTurn) {
    for (const direction of ["toProvider", "toPatient"] as const) {
      const values = { ours: median(inTurn.ours[direction]), "bare DO": median(inTurn.bare[direction]) };
      out.push({
        figure: `relay ${arrow[direction]} p50, 1 connected, in turn with the bare DO (ms, median of ${inTurn.rounds} rounds)`,
        values,
        goal: `≤ ${GOALS.relayP50VsBare}× bare DO`,
        met: verdict(ratioOk(values, GOALS.relayP50VsBare)),
        digits: 2,
      });
    }
  }
  const fan = pick(results, (r) => r.fanOut?.medianMs);
  out.push({
    figure: `fan-out to ${params.fanOutPatients}: last one has it (ms)`,
    values: fan,
    goal: `≤ ${GOALS.fanOutVsBare}× bare DO`,
    met: verdict(ratioOk(fan, GOALS.fanOutVsBare)),
    digits: 1,
  });
  out.push({ figure: `fan-out to ${params.fanOutPatients}: deliveries per second`, values: pick(results, (r) => r.fanOut?.deliveriesPerSecond), digits: 0 });

  const capacity = pick(results, (r) => r.capacity?.patients);
  const atLeast = Object.fromEntries(results.map((r) => [r.name, r.capacity?.capped === true]));
  const ours = results.find((r) => r.name === "ours")?.capacity;
  out.push({
    figure: `patients per room with p99 ≤ ${params.capacityLimitMs} ms`,
    values: capacity,
    atLeast,
    goal: `≥ ${GOALS.patientsPerRoom}`,
    met: ours === undefined ? "?" : ours.patients >= GOALS.patientsPerRoom ? "yes" : ours.capped ? "?" : "NO",
    digits: 0,
  });

  const memory = pick(results, (r) => (r.memory ? kB(r.memory.bytesPerPatient) : undefined));
  out.push({
    // The runtime's native memory per socket, beside the heap row below, which is ours.
    figure: `memory per idle waiting patient (kB)`,
    values: memory,
    digits: 1,
  });
  const heap = roomHeap ? { ours: kB(roomHeap.bytesPerPatient) } : {};
  out.push({
    figure: `JS heap of the plain room per idle patient (kB, ${params.heapPatients.toLocaleString("en-US")} patients)`,
    values: heap,
    goal: `≤ ${kB(GOALS.roomHeapPerPatientBytes)} kB`,
    met: verdict(maxOk(heap.ours, kB(GOALS.roomHeapPerPatientBytes))),
    digits: 2,
  });
  const pages = [
    ["patient", "patient page", GOALS.patientPageJsBytes],
    ["join", "join page", GOALS.patientPageJsBytes],
    ["provider", "provider dashboard", GOALS.providerPageJsBytes],
  ] as const;
  for (const [page, name, goal] of pages) {
    const js = pick(results, (r) => (r.clientJs?.[page] ? kB(r.clientJs[page].gzipBytes) : undefined));
    out.push({ figure: `${name} JavaScript, gzip (kB)`, values: js, goal: `≤ ${kB(goal)} kB`, met: verdict(maxOk(js.ours, kB(goal))), digits: 1 });
  }
  out.push({
    figure: `navigation to interactive patient page (ms, median of ${params.navigationRuns})`,
    values: pick(results, (r) => r.navigation?.medianMs),
    digits: 0,
  });
  return out;
}

function fmt(value: number | undefined, digits: number, atLeast = false): string {
  if (value === undefined) return "–";
  return `${atLeast ? "≥" : ""}${value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || b === 0) return "–";
  const r = a / b;
  return `${r.toFixed(r < 10 ? 2 : r < 100 ? 1 : 0)}×`;
}

/** A plain-text table (Markdown-compatible), with the machine it ran on. */
export function table(all: Row[], machine: Machine, params: Params, browser?: string): string {
  const header = ["figure", ...NAMES, "ours/bare DO", "ours/ws", "ours/socket.io", "goal", "met"];
  const body = all.map((row) => [
    row.figure,
    ...NAMES.map((n) => fmt(row.values[n], row.digits, row.atLeast?.[n])),
    ratio(row.values.ours, row.values["bare DO"]),
    ratio(row.values.ours, row.values.ws),
    ratio(row.values.ours, row.values["socket.io"]),
    row.goal ?? "",
    row.met ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 || i >= header.length - 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 || i >= header.length - 2 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [
    `queue-chat benchmark (${params.mode}): ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.os}`,
    `Node ${machine.node}, workerd ${machine.workerd}, ws ${machine.ws}, socket.io ${machine.socketIo}${browser ? `, ${browser}` : ""}`,
    "",
    line(header),
    rule,
    ...body.map(line),
  ].join("\n");
}

/** What a reader needs to read the table right, and anything that went wrong. */
export function notes(results: TargetResult[], params: Params, machine: Machine, dropped: number[], inTurn?: InTurn): string[] {
  return [
    ...(inTurn
      ? [
          `In turn: ours and the bare DO served side by side, ${inTurn.rounds} rounds of ${inTurn.samplesPerRound} samples taken alternately; ` +
            `the rows above are the medians of the rounds' p50s, and one round's ours ÷ bare DO ranged ` +
            (["toProvider", "toPatient"] as const)
              .map((d) => {
                const r = inTurnSpread(inTurn, d);
                return `${r.min.toFixed(2)}–${r.max.toFixed(2)}× (${arrow[d]})`;
              })
              .join(", ") +
            ".",
        ]
      : []),
    ...(results.some((r) => r.capacity?.capped)
      ? [`≥ n: the room never passed ${params.capacityLimitMs} ms p99 up to the last step tried (${params.capacitySteps.at(-1)}).`]
      : []),
    "ws and socket.io pages: a bare HTML form plus the client library (bench/peers/page.ts), a floor rather than the same app.",
    "kB = 1,000 bytes. Latency: send() to the receiver's message event, one message in flight, in one process.",
    ...(dropped.length > 0
      ? [`Rooms of ${dropped.join(", ")} skipped: the open-file limit is ${machine.openFiles} and workerd holds 2 per socket.`]
      : []),
    ...results.flatMap((r) => [
      ...(r.capacity?.steps.some((s) => s.roundsP99Ms)
        ? [
            `${r.name}: capacity p99 per step, median of ${params.capacityRounds} rounds of ${params.capacitySamples} (spread): ` +
              r.capacity.steps
                .filter((s) => s.roundsP99Ms)
                .map((s) => `${s.patients}: ${s.p99Ms!.toFixed(1)} ms (${Math.min(...s.roundsP99Ms!).toFixed(1)}–${Math.max(...s.roundsP99Ms!).toFixed(1)})`)
                .join(", "),
          ]
        : []),
      ...(r.capacity?.steps.filter((s) => s.error).map((s) => `${r.name}: ${s.patients} patients could not connect: ${s.error}`) ?? []),
      ...Object.entries(r.errorFrames).map(([code, n]) => `${r.name}: ${n} error frame(s) "${code}" from the server.`),
      ...Object.entries(r.failed).map(([phase, why]) => `${r.name}: ${phase} failed: ${why}`),
    ]),
  ];
}
