import { PROTOCOL_VERSION } from "../../protocol/constants";
import type { Sign } from "./signatures";
import { Room, type Peer } from "./room";

/** Messages each way that a throwaway room passes, enough for the engine to compile the message path. */
const ROUNDS = 100;

/**
 * Runs the message path (parse, number, sign, fan out) on a throwaway room
 * whose pages keep nothing, so the first patients of a new room are not
 * the ones who wait while the engine compiles it. A message's signature is
 * hashed in plain JavaScript, and a room sees only a few messages a second:
 * left to itself, a room's first hundred or so messages each cost several
 * times what they do compiled (about 130 µs against 15–20 µs in Node on the
 * bench machine), for about 30 ms spent here once. Nothing of it outlives
 * the call; it names no one and is never sent anywhere.
 */
export function warmUp(sign: Sign, pages: Peer = { send() {}, close() {} }): void {
  let time = 0;
  const room = new Room({
    name: "warm-up",
    sign,
    graceMs: 0,
    capacity: 2,
    checkInsPerMinute: 2,
    deadAfterMs: 0,
    clock: { now: () => time, setTimeout: () => () => {} },
  });
  try {
    const hello = JSON.stringify({ type: "hello", v: PROTOCOL_VERSION });
    const staff = room.connect(pages, { role: "host", id: "warm-up-staff", name: "Staff", login: "warm-up-login" });
    staff.receive(hello);
    const admitted = room.checkIn("Patient", "warm-up");
    if (!admitted.ok) return;
    const patient = room.connect(pages, { role: "patient", id: admitted.id, name: "Patient", c: admitted.c, checkedInAt: admitted.checkedInAt });
    patient.receive(hello);
    const c = JSON.stringify(admitted.c);
    const text = JSON.stringify("A message of about the length people write in a waiting room.");
    for (let i = 0; i < ROUNDS; i++) {
      // Past the frame budget's refill each time, so nothing is refused.
      time += 1_000;
      patient.receive(`{"type":"send","c":${c},"cid":"p${i}","text":${text}}`);
      staff.receive(`{"type":"send","c":${c},"cid":"s${i}","text":${text}}`);
    }
  } finally {
    room.dispose();
  }
}
