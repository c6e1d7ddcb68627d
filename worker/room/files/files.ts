import { FILES, formatBytes, type FileOffer, type TransferState } from "../../../protocol/files";
import type { ClientMessageOf, ServerMessage } from "../../../protocol/wire";
import { randomId } from "../../ids";
import { conversationFor } from "../commands/chat";
import type { RoomContext } from "../context";
import { can } from "../permissions";
import type { Identity } from "../people";
import type { Socket } from "../socket";
import { Allowances, BYTE_BUDGET } from "./allowance";
import { absent, deadReason, seenBy, sees, type Offer, type Running } from "./offers";
import { Transfer, type Hasher } from "./relay";

/** How much of the room files may take at once. */
export const FILE_BOUNDS = {
  offersPerPage: 20,
  offersPerRoom: 500,
  /** Transfers moving at once: each holds at most `FILES.window` chunks in the room. */
  transfersPerRoom: 8,
  /** Transfers one person may be sending at once, and receiving at once. */
  transfersPerSender: 8,
  transfersPerRecipient: 4,
  /** A sender's page that has not opened its upload socket by then will not. */
  uploadWaitMs: 30_000,
};

export type DownloadResult = { ok: true; name: string; size: number; stream: ReadableStream<Uint8Array> } | { ok: false; status: 403 | 404 | 409 | 410 | 429; error: string };

/** Download links remembered per offer; a page makes one per click. */
const LINKS_KEPT = 256;

const GONE = { ok: false, status: 404, error: "This file is no longer offered." } as const;

/**
 * Files in the room: offers, the transfers moving them, and what each
 * person may still send. Nothing of a file is kept but the chunks of moving
 * transfers, a few per transfer; offers and counts live in memory only, so
 * a new room instance starts with none.
 */
export class Files {
  private readonly offers = new Map<string, Offer>();
  /** Offers by sender and client id: a page that offers again is answered with the same offer. */
  private readonly byCid = new Map<string, Offer>();
  private readonly running = new Map<string, Running>();
  private readonly allowances: Allowances;
  private everOffered = false;
  private readonly hash: () => Hasher;
  /** File bytes the room holds now, and the most it has held. */
  private readonly held = {
    now: 0,
    peak: 0,
    add(bytes: number) {
      this.now += bytes;
      this.peak = Math.max(this.peak, this.now);
    },
  };

  constructor(hash: () => Hasher, budget = BYTE_BUDGET) {
    this.hash = hash;
    this.allowances = new Allowances(budget);
  }

  stats() {
    return { offers: this.offers.size, transfers: this.running.size, heldBytes: this.held.now, peakHeldBytes: this.held.peak };
  }

  offer(ctx: RoomContext, socket: Socket, msg: ClientMessageOf<"file_offer">): void {
    const { person } = socket;
    const conv = conversationFor(ctx, socket, msg.c, msg.cid);
    if (!conv) return;
    if (!can(person.role, "send_file", conv.kind)) return socket.error("forbidden", "You cannot send files in this conversation.", { cid: msg.cid, c: conv.id });
    const same = this.byCid.get(`${person.id}:${msg.cid}`);
    if (same && !deadReason(ctx, same)) return socket.send({ type: "file", ...same.frame });
    if (same) this.withdraw(ctx, same, "The sender's page closed.");
    const refusal = this.refusal(ctx, socket, msg.file.size);
    if (refusal) return socket.error("file_refused", refusal, { cid: msg.cid, c: conv.id });
    const frame: FileOffer = { c: conv.id, id: randomId(), cid: msg.cid, seq: ctx.seq.nextSeq(), by: person.id, name: person.name, role: person.role, time: ctx.now(), file: msg.file };
    const offer: Offer = { frame, conv, from: socket, by: person, transfers: new Set(), links: new Set(), waiting: "" };
    this.offers.set(frame.id, offer);
    this.everOffered = true;
    this.byCid.set(`${person.id}:${msg.cid}`, offer);
    // A page opened later starts above it, as it would above a message.
    conv.lastSeq = Math.max(conv.lastSeq, frame.seq);
    const text = JSON.stringify({ type: "file", ...frame } satisfies ServerMessage);
    for (const page of ctx.fanout.pages(conv)) if (sees(page, offer)) page.sendRaw(text);
    this.tellWaiting(ctx, offer);
    ctx.audit("file_offered", { id: person.id, role: person.role });
  }

  /** The sender withdraws an offer; a recipient stops their own download of it. */
  cancel(ctx: RoomContext, socket: Socket, msg: ClientMessageOf<"file_cancel">): void {
    const offer = this.offers.get(msg.id);
    if (!offer) return;
    if (socket.person === offer.by) return this.withdraw(ctx, offer, "The sender cancelled it.");
    for (const run of [...offer.transfers]) if (run.to === socket.person) run.transfer.stop("The recipient cancelled the download.");
  }

  /**
   * A page said hello: the offers it may see now (it drops any other it
   * holds). Until a file is first offered in this room instance, no page can
   * hold an offer of it, so nothing is said.
   */
  joined(socket: Socket): void {
    if (!this.everOffered) return;
    const { person } = socket;
    // A page back on a new socket keeps its offers: its old socket may be known to be closed only after this hello.
    for (const offer of this.offers.values()) if (offer.by === person && offer.from !== socket && offer.from.page === socket.page) offer.from = socket;
    const offers: FileOffer[] = [];
    for (const offer of this.offers.values()) if (offer.conv.includes(person.id, person.staff) && sees(socket, offer)) offers.push(offer.frame);
    socket.send({ type: "files", offers });
  }

  /** A page closed: what it offered is gone (it may offer again when it comes back). */
  pageClosed(ctx: RoomContext, socket: Socket): void {
    for (const offer of [...this.offers.values()]) if (offer.from === socket) this.withdraw(ctx, offer, "The sender's page closed.");
  }

  /**
   * A download: a stream of the file as the sender's page sends it, chunk by
   * chunk. Only someone in the conversation with a page open may download,
   * never the sender, and only while the sender's day has room for the whole
   * file. `link` is the page's fresh name for this click: used once.
   */
  download(ctx: RoomContext, identity: Pick<Identity, "id">, id: string, link: string): DownloadResult {
    const offer = this.offers.get(id);
    const person = ctx.people.get(identity.id);
    if (!offer || !person || deadReason(ctx, offer)) return GONE;
    const { conv, frame } = offer;
    if (!conv.includes(person.id, person.staff) || !can(person.role, "download_file", conv.kind) || !seenBy(person, offer)) return GONE;
    if (person === offer.by) return { ok: false, status: 403, error: "You sent this file." };
    if (person.pages.size === 0) return { ok: false, status: 403, error: "Open the chat to download this file." };
    if (offer.links.has(link)) return { ok: false, status: 410, error: "This download was stopped. Start it again from the chat." };
    if (offer.links.size >= LINKS_KEPT) offer.links.delete(offer.links.values().next().value!);
    offer.links.add(link);
    if (this.running.size >= FILE_BOUNDS.transfersPerRoom || this.count((r) => r.offer.by === offer.by) >= FILE_BOUNDS.transfersPerSender || this.count((r) => r.to === person) >= FILE_BOUNDS.transfersPerRecipient) {
      return { ok: false, status: 429, error: "Too many files are moving right now. Please try again in a moment." };
    }
    const now = ctx.now();
    const allowance = this.allowances.of(offer.by.id, now);
    if (!allowance.fits(now, frame.file.size)) {
      const error = `The sender has sent ${formatBytes(FILES.dayBytes)} of files in the last 24 hours, the most anyone may, so this file cannot reach you now.`;
      ctx.fanout.toPerson(person.id, { type: "error", code: "file_refused", message: error, c: conv.id });
      return { ok: false, status: 409, error };
    }
    const t = randomId();
    const transfer: Transfer = new Transfer({
      size: frame.file.size,
      sha256: frame.file.sha256,
      hash: this.hash(),
      meter: this.held,
      charge: (bytes) => allowance.budget.take(ctx.now(), bytes),
      ended: (state, reason) => this.ended(ctx, run, state, reason),
    });
    const run: Running = { t, offer, to: person, transfer, reservation: allowance.reserve(now, frame.file.size), startedAt: now, reported: 0 };
    offer.transfers.add(run);
    this.running.set(t, run);
    offer.from.send({ type: "upload", id: frame.id, t });
    this.update(ctx, run, "moving");
    return { ok: true, name: frame.file.name, size: frame.file.size, stream: transfer.stream };
  }

  /** The transfer `t` waiting for its upload socket, if `person` is its sender. */
  uploadFor(person: string, t: string): Transfer | undefined {
    const run = this.running.get(t);
    return run && run.offer.by.id === person && run.transfer.phase === "waiting" ? run.transfer : undefined;
  }

  /**
   * Every timer turn: offers whose page, conversation or place in it is gone
   * are withdrawn; transfers whose recipient left stop; the sender hears who
   * is still not connected; progress is told; transfers that waited for the
   * sender's byte budget ask again. Work bounded by the number of offers.
   */
  sweep(ctx: RoomContext, now: number): boolean {
    for (const offer of [...this.offers.values()]) {
      const dead = deadReason(ctx, offer);
      if (dead) {
        this.withdraw(ctx, offer, dead);
        continue;
      }
      for (const run of [...offer.transfers]) {
        if (ctx.people.get(run.to.id) !== run.to || !offer.conv.includes(run.to.id, run.to.staff)) run.transfer.stop("The recipient left the conversation.");
        else if (run.transfer.phase === "waiting" && now - run.startedAt > FILE_BOUNDS.uploadWaitMs) run.transfer.stop("The sender's page did not start sending.");
        else {
          run.transfer.topUp();
          if (run.transfer.delivered !== run.reported) this.update(ctx, run, "moving");
        }
      }
      this.tellWaiting(ctx, offer);
    }
    this.allowances.prune(now);
    return false;
  }

  private refusal(ctx: RoomContext, socket: Socket, size: number): string | null {
    if (size === 0) return "That file is empty.";
    if (size > FILES.maxBytes) return `Files can be at most ${formatBytes(FILES.maxBytes)}.`;
    const now = ctx.now();
    const allowance = this.allowances.of(socket.person.id, now);
    if (!allowance.fits(now, size)) {
      return `You can send up to ${formatBytes(FILES.dayBytes)} of files in 24 hours, and this one would take you past that (you have sent ${formatBytes(allowance.used(now))}).`;
    }
    let mine = 0;
    for (const offer of this.offers.values()) if (offer.from === socket) mine++;
    if (mine >= FILE_BOUNDS.offersPerPage) return `You are offering ${mine} files already. Cancel some, or wait until they are downloaded.`;
    if (this.offers.size >= FILE_BOUNDS.offersPerRoom) return "Too many files are on offer in this waiting room right now. Please try again later.";
    return null;
  }

  private withdraw(ctx: RoomContext, offer: Offer, reason: string): void {
    const { id, c, cid } = offer.frame;
    this.offers.delete(id);
    if (this.byCid.get(`${offer.by.id}:${cid}`) === offer) this.byCid.delete(`${offer.by.id}:${cid}`);
    for (const run of [...offer.transfers]) run.transfer.stop(reason);
    ctx.fanout.toConversation(offer.conv, { type: "file_gone", c, id, reason });
  }

  private ended(ctx: RoomContext, run: Running, state: "saved" | "stopped", reason: string): void {
    this.running.delete(run.t);
    run.offer.transfers.delete(run);
    // Only what moved counts against the sender's day.
    run.reservation.settle(run.transfer.received);
    this.update(ctx, run, state, reason);
    if (state === "saved") ctx.audit("file_saved", { id: run.to.id, role: run.to.role });
  }

  /** Where a transfer stands, to its sender's pages and its recipient's. */
  private update(ctx: RoomContext, run: Running, state: TransferState, reason?: string): void {
    run.reported = run.transfer.delivered;
    const { c, id } = run.offer.frame;
    const frame = JSON.stringify({ type: "transfer", c, id, t: run.t, to: { id: run.to.id, name: run.to.name }, sent: run.reported, state, ...(reason ? { reason } : {}) } satisfies ServerMessage);
    ctx.fanout.toPerson(run.offer.by.id, frame);
    ctx.fanout.toPerson(run.to.id, frame);
  }

  /** Tells the sender's pages who the offer still waits for, when that changed. */
  private tellWaiting(ctx: RoomContext, offer: Offer): void {
    const names = absent(ctx, offer);
    const key = names.join("\n");
    if (key === offer.waiting) return;
    offer.waiting = key;
    ctx.fanout.toPerson(offer.by.id, { type: "file_waiting", c: offer.frame.c, id: offer.frame.id, names });
  }

  private count(match: (run: Running) => boolean): number {
    let n = 0;
    for (const run of this.running.values()) if (match(run)) n++;
    return n;
  }
}
