import { CLOSE, PROTOCOL_VERSION, type ClientMessageOf, type ConversationMeta, type Seed, type ServerMessage } from "../../protocol/wire";
import { randomId } from "../ids";
import { bury, tombstoneFrame } from "./commands/delete";
import { announceErase, eraseSeenOnReload } from "./commands/erase";
import { guestSession, participantsFrame, presenceChanged, refuse, restoreRoster, startRoster } from "./commands/participants";
import { admit, updateEntry } from "./commands/patients";
import { sendPrefs, staffEntry } from "./commands/staff-chat";
import type { RoomContext } from "./context";
import { messageFrame, type Conversation, type Stored } from "./conversation";
import type { Socket } from "./socket";

/** Page loads remembered, so a page whose first welcome was lost is not taken for a reload. */
const PAGES_REMEMBERED = 10_000;


/**
 * Joining and recovering: what a page gets when it says hello, and what a
 * page hands back after the room's memory was reset.
 *
 * A page that says hello without a pass is a new page load: a patient's
 * starts with an empty conversation, and a staff member's reload erases
 * what their previous page had been shown (the erase rules). Only the page
 * that holds a pass (in its memory, never in storage) can resume, so a
 * crafted hello on the same cookie gets nothing from before its own load.
 */
export class Recovery {
  private readonly ctx: RoomContext;
  /** `person:page` of fresh page loads that said hello: the floor they started at. */
  private readonly pages = new Map<string, number>();
  /**
   * `person:page` of pages that came back across the reset. One whose copies
   * were lost on the way (its socket dropped after the welcome) hands them
   * back again when it resumes in this epoch, so it still may.
   */
  private readonly returned = new Set<string>();

  constructor(ctx: RoomContext) {
    this.ctx = ctx;
  }

  /** Welcomes a socket; false if it may not join (it has been closed). */
  join(socket: Socket, hello: ClientMessageOf<"hello">): boolean {
    const { ctx } = this;
    const { person } = socket;
    const pass = hello.resume ? ctx.sigs.readPass(person.id, hello.resume.pass) : null;
    const sameEpoch = hello.resume?.epoch === ctx.epoch;
    // Resume after arrival `cursor`; null for a fresh page, which gets what it may see from its floor.
    let cursor: number | null = null;
    let resync = false;
    if (pass && hello.resume) {
      socket.page = pass.page;
      socket.floor = pass.floor;
      if (!sameEpoch) {
        cursor = 0;
        socket.handingBack = true;
      } else if (hello.resume.n > ctx.seq.arrival) {
        cursor = 0;
        resync = true;
      } else cursor = hello.resume.n;
    } else socket.page = hello.page ?? randomId();
    const key = `${person.id}:${socket.page}`;
    const known = cursor === null ? this.pages.get(key) : undefined;
    if (socket.handingBack) {
      if (this.returned.size >= PAGES_REMEMBERED) this.returned.delete(this.returned.values().next().value!);
      this.returned.add(key);
    } else if (pass && this.returned.has(key)) socket.handingBack = true;

    let conv: Conversation | undefined;
    if (!person.staff) {
      conv = person.role === "guest" ? guestSession(ctx, socket) : this.ensurePatient(socket);
      if (!conv) return false;
      // A new page load starts empty: nothing from before it, not even what a
      // reset brings back. A guest's first page starts where they joined.
      if (cursor === null) socket.floor = known ?? person.joinFloor ?? Math.max(conv.lastSeq, ctx.seq.base);
      person.joinFloor = undefined;
    } else if (cursor === null && known === undefined && person.pages.size === 0) {
      eraseSeenOnReload(ctx, person);
    }
    if (cursor === null && known === undefined) this.remember(key, socket.floor);

    // A new staff page: what this person's pages were shown before (all of it, if another is open now) is not news.
    const seen = person.staff && cursor === null ? (person.pages.size > 0 ? ctx.seq.seq : person.seenUpto) : undefined;
    const wasOnline = ctx.people.staffOnline;
    const firstPage = person.pages.size === 0;
    socket.ready = true;
    ctx.people.arrived(person, socket);
    socket.send(this.welcome(socket, conv, seen));
    if (resync) socket.send({ type: "resync" });
    if (person.staff) this.staffJoined(socket, cursor, wasOnline);
    else this.catchUp(socket, [conv!], cursor);
    if (firstPage) presenceChanged(ctx, person, conv, socket);
    return true;
  }

  private welcome(socket: Socket, conv?: Conversation, seen?: number): ServerMessage {
    const { ctx } = this;
    const { person } = socket;
    return {
      type: "welcome",
      v: PROTOCOL_VERSION,
      epoch: ctx.epoch,
      room: ctx.name,
      self: { id: person.id, name: person.name, role: person.role },
      now: ctx.now(),
      pass: ctx.sigs.pass(person.id, socket.page, socket.floor),
      ...(seen ? { seen } : {}),
      ...(person.staff ? {} : { staffOnline: ctx.people.staffOnline, c: conv!.id, ...(conv!.patient?.session ? { session: conv!.patient.session } : {}) }),
    };
  }

  /**
   * The patient's conversation, admitting them again if the room does not
   * know them (its memory was reset, or their grace period ran out) at
   * their original check-in time. Refuses a cookie that has left for good.
   */
  private ensurePatient(socket: Socket): Conversation | undefined {
    const { ctx } = this;
    const { identity } = socket;
    const result = admit(ctx, {
      id: identity.id,
      name: identity.name,
      c: identity.c!,
      checkedInAt: identity.checkedInAt ?? ctx.now(),
      ...(identity.session ? { session: identity.session } : {}),
    });
    if (!result.ok) {
      const ended = result.reason === "ended";
      if (result.reason === "removed") return refuse(socket, "You were removed from this session.", CLOSE.removed, "removed");
      socket.error("forbidden", ended ? "This session has ended." : result.reason === "full" ? "The waiting room is full. Please try again later." : "You are no longer in the waiting room.");
      socket.drop(ended ? CLOSE.ended : CLOSE.left, result.reason);
      return undefined;
    }
    const entry = result.conv.patient!;
    if (entry.status !== "waiting") updateEntry(ctx, entry, { status: "waiting" });
    return result.conv;
  }

  private staffJoined(socket: Socket, cursor: number | null, wasOnline: boolean): void {
    const { ctx } = this;
    const { person } = socket;
    ctx.fanout.toStaff({ type: "staff_member", member: staffEntry(person) }, socket);
    socket.send({ type: "staff_list", members: [...ctx.people.staff()].map(staffEntry) });
    socket.send({ type: "queue", patients: ctx.queue.snapshot() });
    for (const conv of ctx.conversations.staffConversationsOf(person.id)) {
      socket.send({ type: "conversation", ...conv.meta! });
      sendPrefs(ctx, person, conv.id);
    }
    const viewed = new Map<string, Set<string>>();
    for (const page of ctx.people.staffPages()) if (page.view) viewed.set(page.view, (viewed.get(page.view) ?? new Set()).add(page.person.id));
    for (const [c, ids] of viewed) socket.send({ type: "viewers", c, staff: [...ids] });
    this.catchUp(socket, ctx.conversations.visibleTo(person), cursor);
    if (wasOnline) return;
    const online = JSON.stringify({ type: "staff_online", online: true } satisfies ServerMessage);
    for (const conv of ctx.conversations.patientConversations()) for (const page of ctx.fanout.outsidePages(conv)) page.sendRaw(online);
  }

  /**
   * Sends a page what it has not seen of its conversations; a page that may
   * hold erased messages is told first. Messages go in arrival order across
   * the conversations: a page resumes from the last arrival it got, so a
   * catch-up cut off in the middle must not have sent a later one first.
   */
  private catchUp(socket: Socket, convs: Iterable<Conversation>, cursor: number | null): void {
    const { ctx } = this;
    const host = socket.person.role === "host";
    const missed: { n: number; frame: string }[] = [];
    for (const conv of convs) {
      const erased = conv.floorFor(socket.person.id);
      if (cursor !== null && erased > 0) socket.send({ type: "erased", c: conv.id, upto: erased, ...(erased > conv.erasedUpto ? { mine: true as const } : {}) });
      if (conv.roster) socket.sendRaw(participantsFrame(ctx, conv));
      if (host && conv.code) ctx.codes.send(conv, socket);
      // Tombstones first: a page drops a deleted message it still holds, and never shows one it is sent.
      for (const t of conv.tombstones()) if (t.seq > Math.max(socket.floor, erased)) socket.sendRaw(tombstoneFrame(conv, t));
      // Held messages only for pages from before the reset, as when they arrived.
      for (const m of conv.select(cursor ?? 0, Math.max(socket.floor, erased), !socket.handingBack)) missed.push({ n: m.n, frame: messageFrame(conv.id, m) });
    }
    missed.sort((a, b) => a.n - b.n);
    for (const { frame } of missed) socket.sendRaw(frame);
  }

  private remember(key: string, floor: number): void {
    if (this.pages.size >= PAGES_REMEMBERED) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(key, floor);
  }

  /**
   * A page's copy of a conversation from before a reset. Only what this
   * room signed is taken back, never at or below an erase, and never below
   * the page's own floor. Staff restore a patient's queue entry, session and
   * erase point; staff conversations come back from their signed description.
   */
  seed(socket: Socket, seed: Seed): void {
    const { ctx } = this;
    const { person } = socket;
    const conv = this.conversationFor(socket, seed);
    if (!conv) return;
    if (person.staff && seed.erased !== undefined) {
      const before = conv.erasedUpto;
      conv.erase(Math.min(seed.erased, ctx.seq.base));
      // Pages may hold the erased messages even though this room never had them.
      if (conv.erasedUpto > before) announceErase(ctx, conv);
    }
    if (person.staff && seed.floor !== undefined) conv.eraseFor(person.id, Math.min(seed.floor, ctx.seq.base));
    if (!person.takeSeeds(seed.messages.length + (seed.deleted?.length ?? 0))) return socket.error("rate_limited", "Too much was handed back at once.", { c: conv.id });
    let refused = 0;
    if (person.staff && seed.roster && !restoreRoster(ctx, conv, seed.roster)) refused++;
    if (person.role === "host" && seed.code) ctx.codes.restore(conv, seed.code);
    // A tombstone only ever removes: any page in the conversation may hand one back.
    for (const t of seed.deleted ?? []) {
      if (ctx.sigs.verifyTombstone(conv.id, t)) bury(ctx, conv, t, socket);
      else refused++;
    }
    for (const m of seed.messages) {
      // Numbered by this instance: it has it, or erased it. (A page handing back again after a blip holds such.)
      if (m.seq > ctx.seq.base) continue;
      const { type: _t, c: _c, n: _n, ...fields } = m;
      const authentic = (m.c ?? seed.c) === seed.c && (m.all ? !conv.staffOnly && m.time >= conv.since : true) && ctx.sigs.verifyMessage(seed.c, fields);
      if (!authentic) {
        refused++;
        continue;
      }
      if (m.seq <= socket.floor) continue;
      const grave = conv.graveOf(m);
      // Deleted while this page was away: it drops its copy too.
      if (grave) {
        socket.sendRaw(tombstoneFrame(conv, grave));
        continue;
      }
      if (conv.accepts(m)) {
        // A patient's or guest's copy is not the authority on what staff saw and erased.
        const held = !person.staff && !conv.staffOnly && !m.q;
        const stored: Stored = { ...fields, n: ctx.seq.nextArrival(), ...(held ? { held: true } : {}) };
        conv.append(stored);
        ctx.fanout.message(conv, stored, socket, held ? (page) => page.handingBack : undefined);
      } else if (person.staff) {
        const kept = conv.find(m.seq);
        if (kept?.held) {
          conv.confirm(kept, ctx.seq.nextArrival());
          ctx.fanout.message(conv, kept, socket, (page) => !page.handingBack);
        }
      }
    }
    if (refused > 0) socket.error("bad_seed", "Some messages could not be restored.", { c: conv.id });
  }

  /** Takes a newer signed description of a staff conversation and tells its members, old and new. */
  private adopt(conv: Conversation, meta: ConversationMeta): void {
    const { ctx } = this;
    const before = conv.memberIds();
    conv.meta = meta;
    ctx.conversations.membersChanged(conv, before);
    const frame = JSON.stringify({ type: "conversation", ...meta } satisfies ServerMessage);
    for (const id of new Set([...before, ...conv.memberIds()])) ctx.fanout.toPerson(id, frame);
    if (meta.deleted) ctx.conversations.drop(conv);
  }

  private conversationFor(socket: Socket, seed: Seed): Conversation | undefined {
    const { ctx } = this;
    const { person } = socket;
    let conv = ctx.conversations.get(seed.c);
    if (seed.meta) {
      if (!person.staff || seed.meta.c !== seed.c || !ctx.sigs.verifyMeta(seed.meta)) {
        socket.error("bad_seed", "That conversation could not be restored.", { c: seed.c });
        return undefined;
      }
      // A deleted group's description is a tombstone: it only ever removes,
      // and a page that missed the deletion is told instead of handing the group back.
      if (!conv && seed.meta.deleted) {
        ctx.conversations.bury(seed.meta);
        return undefined;
      }
      const buried = conv ? undefined : ctx.conversations.tombstone(seed.c);
      if (buried && buried.ver >= seed.meta.ver) {
        socket.send({ type: "conversation", ...buried });
        return undefined;
      }
      conv ??= ctx.conversations.create(seed.c, seed.meta.kind, ctx.now());
      if (!conv.meta || seed.meta.ver > conv.meta.ver) this.adopt(conv, seed.meta);
      if (seed.meta.deleted) return undefined;
    } else if (!conv && person.staff && seed.patient) {
      const { id, name, checkedInAt, session } = seed.patient;
      const result = admit(ctx, { id, name, c: seed.c, checkedInAt, ...(session ? { session } : {}) });
      // They have not reconnected yet: away until they do, or their grace period ends.
      if (result.ok) updateEntry(ctx, result.conv.patient!, { status: "away" });
      conv = result.ok ? result.conv : undefined;
    } else if (conv?.patient && person.staff && seed.patient?.session && !conv.patient.session) {
      conv.kind = "session";
      updateEntry(ctx, conv.patient, { session: seed.patient.session });
      ctx.fanout.toConversation(conv, { type: "session_started", c: conv.id, session: seed.patient.session });
      startRoster(ctx, conv, { restored: false });
    }
    if (!conv || !conv.includes(person.id, person.staff)) {
      if (!conv) socket.error("recipient_left", "This conversation has ended or its patient has left.", { c: seed.c });
      // A page that left a group hands back the description saying so: taken, and nothing more to take.
      else if (!seed.meta?.left?.some((m) => m.id === person.id)) socket.error("forbidden", "You can only restore your own conversations.", { c: seed.c });
      return undefined;
    }
    return conv;
  }
}
