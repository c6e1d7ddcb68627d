/**
 * Our own JavaScript heap per idle waiting patient: the plain `Room` (no
 * runtime, no sockets), with `patients` checked in, each with one page that
 * said hello, heartbeats off. Run bundled, under `node --expose-gc`
 * (bench/lib/room-heap.ts does both); prints one JSON line.
 */
import { PROTOCOL_VERSION } from "../../protocol/constants";
import { Hmac } from "../../protocol/sha256";
import { Room, type Peer } from "../../worker/room/room";

const patients = Number(process.argv[2] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

const heap = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

// A page that keeps nothing it is sent, so only the room's memory is counted.
const quiet: Peer = { send() {}, close() {} };
const key = new Hmac("bench-secret-not-for-production");
const room = new Room({
  name: "bench-heap",
  sign: (data: string) => key.signText(data),
  graceMs: 60_000,
  capacity: patients + 1,
  checkInsPerMinute: patients + 1,
  deadAfterMs: 0,
});
const hello = JSON.stringify({ type: "hello", v: PROTOCOL_VERSION });

const before = heap();
for (let i = 0; i < patients; i++) {
  const admitted = room.checkIn(`Patient ${i}`, "bench");
  if (!admitted.ok) throw new Error(`check-in refused: ${admitted.reason}`);
  const socket = room.connect(quiet, { role: "patient", id: admitted.id, name: `Patient ${i}`, c: admitted.c, checkedInAt: admitted.checkedInAt });
  socket.receive(hello);
}
const after = heap();
process.stdout.write(`${JSON.stringify({ patients, bytesPerPatient: (after - before) / patients, heapBytes: after })}\n`);
room.dispose();
