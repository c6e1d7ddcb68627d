import { isStaff, SESSION_LIMITS, type Member, type Participant } from "../../protocol/wire";

/**
 * A session's participant list: the patient, guests, and the staff members
 * who took part (started it, wrote in it, added or removed someone). It
 * remembers who left and who was removed, so a removed guest's cookie is
 * refused, and after a reset the staff pages hand it back: lists are merged
 * person by person, so no page's stale copy undoes a removal.
 */
export class Roster {
  private readonly members = new Map<string, Participant>();
  /**
   * Guests it lists may come in: it was made in this room instance when the
   * session started, or a staff page handed it back. A list the room made
   * up after a reset (from the patient's own cookie) is not enough: a guest
   * removed before the reset would still be on it.
   */
  restored: boolean;

  constructor(restored: boolean) {
    this.restored = restored;
  }

  get(id: string): Participant | undefined {
    return this.members.get(id);
  }

  get size(): number {
    return this.members.size;
  }

  list(): Participant[] {
    return [...this.members.values()];
  }

  /** In the session now: listed and neither left nor removed. */
  present(id: string): boolean {
    const m = this.members.get(id);
    return !!m && !m.gone;
  }

  /** Guests in the session now. */
  guests(): string[] {
    return this.list().flatMap((m) => (m.role === "guest" && !m.gone ? [m.id] : []));
  }

  /** Someone joins or takes part (a staff member who had left comes back); false if nothing changed or the list is full. */
  join(who: Member, at: number): boolean {
    const known = this.members.get(who.id);
    if (known && !known.gone) return false;
    if (known && !isStaff(known.role)) return false;
    if (!known && this.members.size >= SESSION_LIMITS.participants) return false;
    this.members.set(who.id, { id: who.id, name: who.name, role: who.role, at });
    return true;
  }

  /** Someone leaves or is removed; false if they were not in the session. */
  leave(id: string, gone: "left" | "removed", at: number): boolean {
    const m = this.members.get(id);
    if (!m || m.gone) return false;
    this.members.set(id, { ...m, gone, goneAt: at });
    return true;
  }

  /** Takes in a list a page handed back, person by person (see `later`); true if anything changed. */
  merge(members: readonly Participant[]): boolean {
    let changed = false;
    for (const incoming of members) {
      const known = this.members.get(incoming.id);
      if (!known && this.members.size >= SESSION_LIMITS.participants) continue;
      const next = known ? later(known, incoming) : incoming;
      if (next === known) continue;
      this.members.set(incoming.id, { ...next });
      changed = true;
    }
    return changed;
  }
}

/**
 * Of two entries for one person, the one that stands: a removal is final; a
 * patient or guest who left stays gone (their cookie no longer admits them);
 * a staff member comes back by taking part again, so for staff the later
 * event wins. On a tie the entry already held stays.
 */
function later(held: Participant, other: Participant): Participant {
  if (held.gone === "removed") return held;
  if (other.gone === "removed") return other;
  if (!isStaff(held.role)) return held.gone || !other.gone ? held : other;
  const when = (m: Participant) => (m.gone ? (m.goneAt ?? m.at) : m.at);
  return when(other) > when(held) ? other : held;
}
