import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ChatMessage, Role } from "../../worker/protocol";
import type { Identity } from "../../worker/room";
import { Client } from "./fakes";
import { Network } from "./sim/network";
import { PatientPage, ProviderPage } from "./sim/pages";

// One provider and three patients exchange 1,000 messages through a network
// that drops sockets at random moments (losing what is in flight both ways)
// and resets the room once or twice. Every page keeps its copy as the client
// does. Once the network is quiet, every copy of a conversation must be the
// same, complete and in the same order, with nothing pending.

const MESSAGES = 1_000;
/**
 * Each seed is a different run, the same every time. FAULT_SEEDS=<n> or
 * <from>-<to> runs others; FAULT_TRACE=<file> writes the last run's frames.
 */
const SEEDS = seeds(process.env.FAULT_SEEDS ?? "1-20");

function seeds(spec: string): number[] {
  const [from, to = from] = spec.split("-").map(Number);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

interface Sent {
  patient: string;
  from: Role;
  cid: string;
  text: string;
}

function simulate(seed: number) {
  const net = new Network(seed);
  const trace: string[] = [];
  if (process.env.FAULT_TRACE) net.trace = (line) => trace.push(line);
  const { clock, rand } = net;
  const provider = new ProviderPage(net, { role: "provider", id: "provider", name: "Dr. Rivera" });
  const patients = ["Ana Lima", "Bo Chen", "Cy Diaz"].map((name, i) => {
    clock.advance(30_000);
    const identity: Identity = { role: "patient", id: `patient-${i + 1}-0123456789abcdef`, name, checkedInAt: clock.now() };
    net.room.admit(identity); // what the check-in route does
    return new PatientPage(net, identity);
  });
  const pages = [provider, ...patients];
  /** Delivers frames until every page is back with nothing pending and the wires are empty; false if not within `ms`. */
  const settle = (ms: number): boolean => {
    const deadline = clock.now() + ms;
    while (!(pages.every((p) => p.settled) && net.quiet)) {
      if (clock.now() > deadline) return false;
      net.deliver();
      clock.advance(20);
    }
    return true;
  };
  for (const page of pages) page.open();
  // Faults start once the first connections are up: a provider page that
  // never got its first welcome says hello as a fresh page, which erases
  // (room-resume.test.ts, "a provider page whose first connection dropped").
  const started = settle(60_000);

  const sent: Sent[] = [];
  const resetsAt = new Set(Array.from({ length: 1 + Math.floor(rand() * 2) }, () => 100 + Math.floor(rand() * (MESSAGES - 200))));
  while (started && sent.length < MESSAGES) {
    if (rand() < 0.3) {
      const patient = patients[Math.floor(rand() * patients.length)];
      const from: Role = rand() < 0.5 ? "provider" : "patient";
      const name = patient.identity.name;
      const text = from === "provider" ? `#${sent.length + 1} provider to ${name}` : `#${sent.length + 1} ${name} to provider`;
      const cid = from === "provider" ? provider.write(patient.id, text) : patient.write(text);
      sent.push({ patient: patient.id, from, cid, text });
      if (resetsAt.delete(sent.length)) net.reset();
    }
    if (rand() < 0.015) {
      const wire = net.pick();
      if (wire) net.drop(wire, rand() < 0.25);
    }
    net.deliver();
    clock.advance(10 + Math.floor(rand() * 50));
  }
  // The network is quiet now: no drops, no new messages.
  const settled = started && settle(10 * 60_000);

  if (process.env.FAULT_TRACE) writeFileSync(process.env.FAULT_TRACE, trace.join("\n"));

  // The room's own copy, as a page resuming from 0 would get it.
  const roomCopy = (patient: string): ChatMessage[] => {
    const page = new Client(net.room, provider.identity).hello({ epoch: net.room.epoch, cursors: { [patient]: 0 } });
    return page.copy(patient);
  };
  return { net, provider, patients, sent, roomCopy, settled };
}

/** A copy as lines a failure shows readably: seq, sender, client id and text. */
const lines = (msgs: readonly ChatMessage[]) => msgs.map((m) => `${m.seq} ${m.from}:${m.cid} ${m.text}`);
/** What was sent or held, by sender and client id, in one order. */
const sentSet = (msgs: readonly { from: Role; cid: string; text: string }[]) => msgs.map((m) => `${m.from}:${m.cid} ${m.text}`).sort();

describe("a thousand messages through a faulty network", () => {
  it.each(SEEDS)("every page ends with the same complete conversations, in the same order (seed %i)", (seed) => {
    const started = performance.now();
    const { net, provider, patients, sent, roomCopy, settled } = simulate(seed);
    const why = `seed ${seed} (replay: FAULT_SEEDS=${seed} npx vitest run -c vitest.unit.config.ts test/unit/fault.test.ts)`;

    expect(net.failures, why).toEqual([]);
    expect(settled, `${why}: the pages never settled`).toBe(true);
    for (const patient of patients) {
      const providerCopy = provider.threads.get(patient.id)?.messages.value ?? [];
      const mine = sent.filter((s) => s.patient === patient.id);
      const label = `${why}, ${patient.identity.name}'s conversation`;

      expect(sentSet(providerCopy), `${label}: the provider's copy is not every message sent, once`).toEqual(sentSet(mine));
      expect(lines(patient.messages), `${label}: the patient's copy differs from the provider's`).toEqual(lines(providerCopy));
      expect(patient.messages, `${label}: the patient's copy differs from the provider's`).toEqual(providerCopy);
      expect(lines(roomCopy(patient.id)), `${label}: the room's copy differs from the provider's`).toEqual(lines(providerCopy));
      expect(providerCopy.map((m) => m.seq), `${label}: not in seq order`).toEqual(providerCopy.map((m) => m.seq).sort((a, b) => a - b));
      expect(patient.pending, `${label}: the patient has messages pending`).toEqual([]);
      expect(provider.threads.get(patient.id)?.pending.value, `${label}: the provider has messages pending`).toEqual([]);
    }
    expect([...provider.notices, ...patients.flatMap((p) => p.notices)], why).toEqual([]);
    // The run really was faulty: sockets dropped with frames in flight, and the room was reset.
    expect(net.stats.resets, why).toBeGreaterThanOrEqual(1);
    expect(net.stats.drops, why).toBeGreaterThan(10);
    expect(net.stats.framesLost, why).toBeGreaterThan(0);
    expect(sent).toHaveLength(MESSAGES);
    console.log(`seed ${seed}: ${JSON.stringify(net.stats)} in ${Math.round(performance.now() - started)} ms`);
  });
});
