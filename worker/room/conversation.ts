import type { AccessCode, ChatMessage, ConversationKind, ConversationMeta, QueueEntry, Tombstone } from "../../protocol/wire";
import type { Roster } from "./roster";

/**
 * A message as the room keeps it: the frame without its conversation id,
 * so one message to everyone waiting is held once and shared by every
 * conversation that got it.
 */
export type Stored = Omit<ChatMessage, "type" | "c"> & {
  /**
   * Handed back after a reset by a patient's or guest's page only, and
   * already sent to staff before the reset: staff pages are the authority
   * on what staff saw and erased, so until one hands it back too it goes
   * only to pages that held the conversation before the reset, never to a
   * fresh page (it may have been erased while the patient's page was away).
   */
  held?: boolean;
};

/**
 * The frame for `m` in conversation `c`: the JSON of the `msg` frame,
 * written out rather than stringified from a copy, since it runs for every
 * message. `held` is the room's own note and is left out.
 */
export function messageFrame(c: string, m: Stored): string {
  const marks = (m.q ? ',"q":true' : "") + (m.all ? ',"all":true' : "");
  return `{"type":"msg","c":${JSON.stringify(c)},"seq":${m.seq},"n":${m.n},"cid":${JSON.stringify(m.cid)},"by":${JSON.stringify(m.by)},"name":${JSON.stringify(m.name)},"role":"${m.role}","text":${JSON.stringify(m.text)},"time":${m.time}${marks},"sig":${JSON.stringify(m.sig)}}`;
}

/** Shared by every conversation that holds no message yet; never written to (`append` replaces it). */
const NO_MESSAGES: Stored[] = [];

/**
 * One conversation, in memory only: its kind, who is in it, its messages
 * in the order they reached this room, and how far it has been erased.
 * Patients' conversations (waiting room and text-only session) are seen by
 * every staff page; staff conversations by their members only.
 */
export class Conversation {
  readonly id: string;
  kind: ConversationKind;
  /** Patients' conversations: the queue entry. */
  patient?: QueueEntry;
  /** Staff conversations: the signed description. */
  meta?: ConversationMeta;
  /** Time the conversation began: a message to everyone waiting from before it was never in it. */
  readonly since: number;
  /** In arrival order. Starts as the shared empty list: a waiting patient's conversation often holds nothing. */
  private log: Stored[] = NO_MESSAGES;
  /** Highest seq held. */
  lastSeq = 0;
  /** Everything up to here has been erased for everyone. */
  erasedUpto = 0;
  /** Per person: everything up to here was erased for them only (a colleague still had it open). */
  floors?: Map<string, number>;
  /** Per sender: the client ids already applied, and their seq (ids only, never text). Made on the first message. */
  private applied?: Map<string, Map<string, number>>;
  /** Sessions: who takes part, who left and who was removed. */
  roster?: Roster;
  /** Sessions: the access code that admits guests now, if any. */
  code?: AccessCode;
  /** Deleted messages by seq: their text is gone, and no copy handed back brings it again. */
  private graves?: Map<number, Tombstone>;
  /** The same, by writer and client id: a resend of a deleted message stays deleted. */
  private buried?: Set<string>;

  constructor(id: string, kind: ConversationKind, since: number) {
    this.id = id;
    this.kind = kind;
    this.since = since;
  }

  get staffOnly(): boolean {
    return this.kind === "direct" || this.kind === "group";
  }

  /** Whether `person` is in it. Staff are in every patient's conversation. */
  includes(person: string, staff: boolean): boolean {
    if (!this.staffOnly) return staff || this.patient?.id === person || (this.roster?.guests().includes(person) ?? false);
    return !!this.meta && !this.meta.deleted && this.meta.members.some((m) => m.id === person);
  }

  /** Everyone in it who is not staff: the patient (and, in a session, guests). */
  outsiders(): string[] {
    if (!this.patient) return [];
    return this.roster ? [this.patient.id, ...this.roster.guests()] : [this.patient.id];
  }

  /** Staff conversations: the members who have not left. */
  memberIds(): string[] {
    return this.meta && !this.meta.deleted ? this.meta.members.map((m) => m.id) : [];
  }

  get size(): number {
    return this.log.length;
  }

  /** The seq of the message this sender already sent with `cid`, if any. */
  appliedSeq(by: string, cid: string): number | undefined {
    return this.applied?.get(by)?.get(cid);
  }

  append(m: Stored): void {
    if (this.log === NO_MESSAGES) this.log = [m];
    else this.log.push(m);
    if (m.seq > this.lastSeq) this.lastSeq = m.seq;
    if (m.all) return;
    const applied = (this.applied ??= new Map());
    const sent = applied.get(m.by);
    if (sent) sent.set(m.cid, m.seq);
    else applied.set(m.by, new Map([[m.cid, m.seq]]));
  }

  /** Whether a handed-back message is new here: not erased, not here by seq or by sender and client id. */
  accepts(m: Pick<Stored, "seq" | "by" | "cid">): boolean {
    if (m.seq <= this.erasedUpto || this.isDeleted(m)) return false;
    if (this.appliedSeq(m.by, m.cid) !== undefined) return false;
    return !this.log.some((e) => e.seq === m.seq);
  }

  /** The message with this seq, if held. */
  find(seq: number): Stored | undefined {
    return this.log.find((e) => e.seq === seq);
  }

  /**
   * Staff vouch for a held message: it now arrives (as arrival `n`) for the
   * pages that were not sent it, so a page that resumes from a later arrival
   * it got in the meantime is not passed over.
   */
  confirm(m: Stored, n: number): void {
    m.held = false;
    this.log.splice(this.log.indexOf(m), 1);
    m.n = n;
    this.log.push(m);
  }

  /**
   * Drops every message up to and including `upto`, which the caller has
   * bounded by what the room can have numbered. Returns how many went.
   */
  erase(upto: number): number {
    if (upto <= this.erasedUpto) return 0;
    this.erasedUpto = upto;
    const before = this.log.length;
    this.log = this.log.filter((e) => e.seq > upto);
    if (this.floors) for (const [who, f] of this.floors) if (f <= upto) this.floors.delete(who);
    if (this.graves) for (const [seq, t] of this.graves) if (seq <= upto) this.unbury(t);
    return before - this.log.length;
  }

  /** Erases up to `upto` for one person only. */
  eraseFor(person: string, upto: number): void {
    if (upto <= this.floorFor(person)) return;
    (this.floors ??= new Map()).set(person, upto);
  }

  /** What `person` may no longer see: the conversation's erase point or their own. */
  floorFor(person: string): number {
    return Math.max(this.erasedUpto, this.floors?.get(person) ?? 0);
  }

  /**
   * What a page may be sent, in arrival order: everything after arrival
   * `afterN` and above `floor`. A fresh page (`fresh`) is not sent what
   * only a patient's page vouches for (held).
   */
  select(afterN: number, floor: number, fresh: boolean): Stored[] {
    const out: Stored[] = [];
    let i = this.log.length;
    while (i > 0 && this.log[i - 1].n > afterN) i--;
    for (; i < this.log.length; i++) {
      const m = this.log[i];
      if (m.seq > floor && !(fresh && m.held)) out.push(m);
    }
    return out;
  }

  /** Highest seq below or at `limit` that this conversation holds, or its erase point. */
  heldUpTo(limit: number): number {
    let top = this.erasedUpto;
    for (const m of this.log) if (m.seq <= limit && m.seq > top) top = m.seq;
    return top;
  }

  /** Whether this message was deleted: by its seq, or by its writer and client id. */
  isDeleted(m: Pick<Stored, "seq" | "by" | "cid">): boolean {
    return !!this.graves?.has(m.seq) || !!this.buried?.has(`${m.by}:${m.cid}`);
  }

  /** The tombstone that deleted this message (by its seq, or its writer and client id), if any. */
  graveOf(m: Pick<Stored, "seq" | "by" | "cid">): Tombstone | undefined {
    const bySeq = this.graves?.get(m.seq);
    if (bySeq || !this.buried?.has(`${m.by}:${m.cid}`)) return bySeq;
    for (const t of this.graves!.values()) if (t.from === m.by && t.cid === m.cid) return t;
    return undefined;
  }

  /** The tombstones kept, in seq order. */
  tombstones(): Tombstone[] {
    return [...(this.graves?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  /**
   * Deletes a message for good: its text leaves the log, and the tombstone
   * stays so that nothing handed back brings it again. False when this
   * tombstone was already kept (or it is erased anyway).
   */
  bury(t: Tombstone): boolean {
    if (t.seq <= this.erasedUpto || this.graves?.has(t.seq)) return false;
    (this.graves ??= new Map()).set(t.seq, t);
    (this.buried ??= new Set()).add(`${t.from}:${t.cid}`);
    this.log = this.log.filter((e) => e.seq !== t.seq && !(e.by === t.from && e.cid === t.cid));
    return true;
  }

  private unbury(t: Tombstone): void {
    this.graves?.delete(t.seq);
    this.buried?.delete(`${t.from}:${t.cid}`);
  }
}
