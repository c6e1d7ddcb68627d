import type { QueueEntry } from "../../protocol/wire";
import { KeyedLimiter } from "../rate-limit";

export type AdmitRefusal = "full" | "too_many" | "gone" | "ended" | "taken" | "removed";

/** How many ids of people who left, and of ended sessions, the room remembers. */
const REMEMBERED = 50_000;

/**
 * The patient queue: who is waiting (or in a text-only session), in
 * check-in order, and what keeps a closed door closed: patients who left or
 * were removed and sessions that ended are refused if their cookie is
 * replayed, and a scheduled session's link admits one person.
 */
export class Queue {
  private readonly entries = new Map<string, QueueEntry>();
  /** Patients who left, were removed or whose session ended: why their cookie is refused. */
  private readonly gone = new Map<string, "gone" | "ended" | "removed">();
  private readonly ended = new Map<string, true>();
  /** Scheduled sessions: the one patient whose link opened it. */
  private readonly claims = new Map<string, string>();
  private readonly checkIns: KeyedLimiter;
  readonly capacity: number;

  constructor(capacity: number, checkInsPerMinute: number) {
    this.capacity = capacity;
    this.checkIns = new KeyedLimiter(checkInsPerMinute, checkInsPerMinute / 60);
  }

  get size(): number {
    return this.entries.size;
  }

  get(patientId: string): QueueEntry | undefined {
    return this.entries.get(patientId);
  }

  /** A snapshot, oldest check-in first. */
  snapshot(): QueueEntry[] {
    return [...this.entries.values()].sort((a, b) => a.checkedInAt - b.checkedInAt);
  }

  /** A new check-in from `address`, limited per address. */
  takeCheckIn(address: string, now: number): boolean {
    return this.checkIns.take(address, now);
  }

  /** Why `entry` may not (re-)enter, or null. */
  refusal(entry: Pick<QueueEntry, "id" | "session">): AdmitRefusal | null {
    const gone = this.gone.get(entry.id);
    if (gone) return gone;
    if (entry.session && this.ended.has(entry.session.id)) return "ended";
    const claimed = entry.session ? this.claims.get(entry.session.id) : undefined;
    if (claimed !== undefined && claimed !== entry.id) return "taken";
    if (!this.entries.has(entry.id) && this.entries.size >= this.capacity) return "full";
    return null;
  }

  add(entry: QueueEntry): void {
    this.entries.set(entry.id, entry);
    if (entry.session?.scheduled) this.claims.set(entry.session.id, entry.id);
  }

  /** Takes a patient out of the queue; `forGood` also refuses their cookie from now on (saying `why`). */
  remove(patientId: string, forGood: boolean, why: "gone" | "removed" = "gone"): QueueEntry | undefined {
    const entry = this.entries.get(patientId);
    this.entries.delete(patientId);
    if (forGood && !this.gone.has(patientId)) remember(this.gone, patientId, why);
    return entry;
  }

  /** A session ended: nobody enters it again, and its patient's cookie is told so (a session started from the queue is not in the cookie). */
  end(sessionId: string, patientId: string): void {
    remember(this.ended, sessionId, true);
    remember(this.gone, patientId, "ended");
    this.claims.delete(sessionId);
  }
}

function remember<V>(map: Map<string, V>, id: string, value: V): void {
  if (map.size >= REMEMBERED && !map.has(id)) map.delete(map.keys().next().value!);
  map.set(id, value);
}
