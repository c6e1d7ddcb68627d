import { LIMITS, type ChatMessage, type ClientMessage } from "../../worker/protocol";

/**
 * A page's copy of a conversation. The browsers are the replicas: after a
 * server reset they hand their copies back to the room (seed).
 */

/**
 * Adds `msg` in sequence order; null when it changes nothing. The same seq
 * is kept once. The same sender and client id under another seq means the
 * room applied a resend anew after a reset: the room's latest word wins.
 */
export function merge(list: readonly ChatMessage[], msg: ChatMessage): ChatMessage[] | null {
  if (list.some((m) => m.seq === msg.seq)) return null;
  const next = list.filter((m) => m.cid !== msg.cid || m.from !== msg.from);
  let i = next.length;
  while (i > 0 && next[i - 1].seq > msg.seq) i--;
  next.splice(i, 0, msg);
  return next;
}

/** Frames under the 64 KiB limit with room to spare; a message is at most ~24 KB of JSON. */
const SEED_BYTES = 40_000;

type Seed = Extract<ClientMessage, { type: "seed" }>;

/**
 * A conversation as seed frames, split to stay under the frame limit. The
 * first frame carries `extra` (the provider's queue entry and erase point),
 * and there is always at least one frame.
 */
export function seedFrames(patient: string, messages: readonly ChatMessage[], extra: Pick<Seed, "erased" | "info"> = {}): Seed[] {
  const frames: Seed[] = [];
  let batch: ChatMessage[] = [];
  let bytes = 0;
  const flush = () => {
    frames.push({ type: "seed", patient, messages: batch, ...(frames.length === 0 ? extra : {}) });
    batch = [];
    bytes = 0;
  };
  for (const msg of messages) {
    const size = new TextEncoder().encode(JSON.stringify(msg)).length;
    if (batch.length > 0 && (bytes + size > SEED_BYTES || batch.length >= LIMITS.seedMessages)) flush();
    batch.push(msg);
    bytes += size;
  }
  if (batch.length > 0 || frames.length === 0) flush();
  return frames;
}
