import type { ConversationKind, ConversationMeta } from "../../protocol/wire";
import { Conversation } from "./conversation";
import type { Person } from "./people";

/**
 * Every conversation in the room, by id. Patients' conversations are listed
 * apart, since every staff page gets them all; a staff member's own
 * conversations are found through their memberships.
 */
export class Conversations {
  private readonly byId = new Map<string, Conversation>();
  private readonly patients = new Set<Conversation>();
  /** Staff conversations per member id. */
  private readonly memberships = new Map<string, Set<Conversation>>();
  /** Messages to everyone waiting, by sender and client id: a resend is applied once. */
  private readonly toAll = new Map<string, number>();
  /** Deleted groups' signed descriptions: a page that missed the deletion cannot hand the group back. */
  private readonly tombstones = new Map<string, ConversationMeta>();
  /** Sessions that are over: a guest's cookie for one is told so. */
  private readonly over = new Set<string>();

  /** The seq of the message to everyone waiting this sender already sent with `cid`, if any. */
  sentToAll(by: string, cid: string): number | undefined {
    return this.toAll.get(`${by}:${cid}`);
  }

  noteSentToAll(by: string, cid: string, seq: number): void {
    if (this.toAll.size >= 10_000) this.toAll.delete(this.toAll.keys().next().value!);
    this.toAll.set(`${by}:${cid}`, seq);
  }

  get(c: string): Conversation | undefined {
    return this.byId.get(c);
  }

  get size(): number {
    return this.byId.size;
  }

  create(c: string, kind: ConversationKind, since: number): Conversation {
    const conv = new Conversation(c, kind, since);
    this.byId.set(c, conv);
    if (!conv.staffOnly) this.patients.add(conv);
    return conv;
  }

  drop(conv: Conversation): void {
    this.byId.delete(conv.id);
    this.patients.delete(conv);
    for (const id of conv.memberIds()) this.memberships.get(id)?.delete(conv);
    if (conv.meta?.deleted) this.bury(conv.meta);
    if (conv.roster) {
      if (this.over.size >= 10_000) this.over.delete(this.over.values().next().value!);
      this.over.add(conv.id);
    }
  }

  /** Whether `c` was a session that is over (in this room instance). */
  sessionOver(c: string): boolean {
    return this.over.has(c);
  }

  /** Remembers that a group was deleted (its newest tombstone). */
  bury(meta: ConversationMeta): void {
    if ((this.tombstones.get(meta.c)?.ver ?? -1) >= meta.ver) return;
    if (this.tombstones.size >= 10_000) this.tombstones.delete(this.tombstones.keys().next().value!);
    this.tombstones.set(meta.c, meta);
  }

  tombstone(c: string): ConversationMeta | undefined {
    return this.tombstones.get(c);
  }

  /** Recomputes who is in a staff conversation after its description changed. */
  membersChanged(conv: Conversation, before: readonly string[]): void {
    for (const id of before) this.memberships.get(id)?.delete(conv);
    for (const id of conv.memberIds()) {
      let set = this.memberships.get(id);
      if (!set) this.memberships.set(id, (set = new Set()));
      set.add(conv);
    }
  }

  patientConversations(): Iterable<Conversation> {
    return this.patients;
  }

  staffConversationsOf(id: string): Iterable<Conversation> {
    return this.memberships.get(id) ?? [];
  }

  /** Every conversation a person's pages get. */
  *visibleTo(person: Person, own?: string): Iterable<Conversation> {
    if (person.staff) {
      yield* this.patients;
      yield* this.staffConversationsOf(person.id);
      return;
    }
    const conv = own ? this.byId.get(own) : undefined;
    if (conv?.includes(person.id, false)) yield conv;
  }
}
