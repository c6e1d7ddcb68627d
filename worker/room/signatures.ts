import type { AccessCode, ChatMessage, ConversationMeta, Participant, Roster, Tombstone } from "../../protocol/wire";

/** What a room signs; the Durable Object supplies an HMAC under the worker's secret. */
export type Sign = (data: string) => string;

export type MessageFields = Omit<ChatMessage, "type" | "c" | "n" | "sig">;

/**
 * The room's signatures. Pages keep what the room sends and hand it back
 * after a reset; the room takes back only what it signed, so no page can
 * slip in a message nobody sent, a membership nobody granted, or a pass for
 * a page load that never happened. Each kind of record is signed under its
 * own label, so one can never pass for another.
 */
export class Signatures {
  private readonly sign: Sign;
  private readonly room: string;
  private readonly roomJson: string;

  constructor(room: string, sign: Sign) {
    this.room = room;
    this.roomJson = JSON.stringify(room);
    this.sign = sign;
  }

  /**
   * A message in conversation `c`. A message to everyone waiting is signed
   * once for all (its `seq` is the same in every conversation): the room
   * takes it back only into a patient's conversation that existed when it
   * was sent.
   */
  message(c: string, m: MessageFields): string {
    const where = m.all ? "*" : c;
    // JSON.stringify(["msg", room, where, seq, cid, by, name, role, text, time, q, all]), written out: it runs for every message.
    const q = m.q === true;
    const all = m.all === true;
    return this.sign(
      `["msg",${this.roomJson},${JSON.stringify(where)},${m.seq},${JSON.stringify(m.cid)},${JSON.stringify(m.by)},${JSON.stringify(m.name)},"${m.role}",${JSON.stringify(m.text)},${m.time},${q},${all}]`,
    );
  }

  /** A page load: its person, its id, and the seq it started after (it never gets anything at or below). */
  pass(person: string, page: string, floor: number): string {
    const sig = this.sign(JSON.stringify(["pass", this.room, person, page, floor]));
    return `${page}.${floor}.${sig}`;
  }

  /** The page and floor a pass proves for `person`, or null for anything else. */
  readPass(person: string, pass: string): { page: string; floor: number } | null {
    const [page, floorText, sig, extra] = pass.split(".");
    const floor = Number(floorText);
    if (!page || !sig || extra !== undefined || !Number.isSafeInteger(floor) || floor < 0) return null;
    return same(this.pass(person, page, floor), pass) ? { page, floor } : null;
  }

  /** A staff conversation's description: kind, title, owner, members, version. */
  meta(m: Omit<ConversationMeta, "sig">): string {
    return this.sign(JSON.stringify(["meta", this.room, m.c, m.kind, m.title ?? "", m.owner ?? "", m.members, m.left ?? [], m.deleted === true, m.ver]));
  }

  /** The id of the one-to-one conversation between two staff members: the same whoever opens it, and after a reset. */
  directId(a: string, b: string): string {
    const [x, y] = a < b ? [a, b] : [b, a];
    return `d-${this.sign(JSON.stringify(["direct", this.room, x, y])).slice(0, 22)}`;
  }

  /** A deleted message's tombstone in conversation `c`. */
  tombstone(c: string, t: Omit<Tombstone, "sig">): string {
    return this.sign(JSON.stringify(["deleted", this.room, c, t.seq, t.from, t.cid, t.time, t.by, t.name]));
  }

  /** A session's participant list, member by member in a fixed shape (a page may hand back its fields in any order). */
  roster(c: string, members: readonly Participant[]): string {
    return this.sign(JSON.stringify(["roster", this.room, c, members.map((m) => [m.id, m.name, m.role, m.at, m.gone ?? "", m.goneAt ?? 0])]));
  }

  /** A session's access code: the code, the conversation it opens and when it stops working. */
  code(c: string, code: string, until: number): string {
    return this.sign(JSON.stringify(["code", this.room, c, code, until]));
  }

  verifyTombstone(c: string, t: Tombstone): boolean {
    const { sig, ...rest } = t;
    return same(this.tombstone(c, rest), sig);
  }

  verifyRoster(r: Roster): boolean {
    return same(this.roster(r.c, r.members), r.sig);
  }

  verifyCode(c: string, code: AccessCode): boolean {
    return same(this.code(c, code.code, code.until), code.sig);
  }

  verifyMessage(c: string, m: MessageFields & { sig: string }): boolean {
    return same(this.message(c, m), m.sig);
  }

  verifyMeta(m: ConversationMeta): boolean {
    const { sig, ...rest } = m;
    return same(this.meta(rest), sig);
  }
}

/** Compares signatures in time independent of where they differ. */
function same(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
