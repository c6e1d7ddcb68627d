import { signal } from "@preact/signals-core";
import type { FileInfo, FileOffer, FileServerMessage, TransferUpdate } from "../../protocol/files";
import type { ClientMessage, Member, Role } from "../../protocol/wire";
import { newClientId } from "../lib/ids";
import type { Conversation } from "./conversation";

/**
 * Where a file stands on this page: the sender's own copy is being hashed
 * ("preparing"), offered but not yet announced ("offering"), then on offer;
 * "gone" once it can no longer be downloaded (withdrawn, refused, erased…).
 */
export type FileState = "preparing" | "offering" | "offered" | "gone";

export type TransferView = Omit<TransferUpdate, "c" | "id">;

/** A file in a conversation, as this page holds it. */
export class SharedFile {
  readonly cid: string;
  readonly c: string;
  /** The sender: their id, name and role. */
  readonly by: string;
  readonly name: string;
  readonly role: Role;
  /** Our own file's SHA-256 is known once it is hashed. */
  info: FileInfo;
  /** Where it stands among the messages; a file of ours not yet announced sorts last. */
  seq = Number.POSITIVE_INFINITY;
  time: number;
  /** The offer downloads name; it changes when the sender's page offers it again after a blip. */
  readonly id = signal("");
  readonly state = signal<FileState>("offered");
  /** Why it is gone, in plain words. */
  readonly reason = signal<string | null>(null);
  /** Hashing progress of our own file, 0 to 1. */
  readonly prepared = signal(0);
  readonly transfers = signal<TransferView[]>([]);
  /** Recipients who are not connected: the offer waits for them. */
  readonly waitingFor = signal<string[]>([]);

  constructor(fields: { cid: string; c: string; by: string; name: string; role: Role; time: number; info: FileInfo }) {
    this.cid = fields.cid;
    this.c = fields.c;
    this.by = fields.by;
    this.name = fields.name;
    this.role = fields.role;
    this.time = fields.time;
    this.info = fields.info;
  }

  /** Who has saved it (the sender sees this). */
  get savedBy(): string[] {
    return [...new Set(this.transfers.value.filter((t) => t.state === "saved").map((t) => t.to.name))];
  }

  /** Transfers moving now. */
  get moving(): TransferView[] {
    return this.transfers.value.filter((t) => t.state === "moving");
  }

  gone(reason: string): void {
    this.state.value = "gone";
    this.reason.value = reason;
  }
}

export interface RoomFilesDeps<C extends Conversation = Conversation> {
  get(c: string): C | undefined;
  conversations(): Iterable<C>;
  self(): Member | null;
  send(msg: ClientMessage): boolean;
}

/**
 * The file side of the room client: offers and transfers as the room
 * reports them, and this page's own offers, which it makes again after a
 * blip or a reset (the room forgets an offer when the page that made it
 * goes). The bytes themselves are the page's business (`onUpload`).
 */
export class RoomFiles<C extends Conversation = Conversation> {
  /** The room asks this page to send file `file` for transfer `t`. */
  onUpload?: (file: SharedFile, t: string) => void;
  /** Someone else offered a file this page had not seen (not when it comes back after a blip or in a hello's list). */
  onNew?: (conv: C, file: SharedFile) => void;
  private readonly deps: RoomFilesDeps<C>;
  /** Our own files on offer or on their way to it, by client id. */
  private readonly outgoing = new Map<string, SharedFile>();

  constructor(deps: RoomFilesDeps<C>) {
    this.deps = deps;
  }

  receive(msg: FileServerMessage): void {
    switch (msg.type) {
      case "file": {
        const file = this.announced(msg);
        if (file) this.onNew?.(this.deps.get(msg.c)!, file);
        return;
      }
      case "files": {
        const live = new Set(msg.offers.map((o) => o.id));
        for (const conv of this.deps.conversations()) {
          for (const file of conv.files.value) if (file.state.value === "offered" && !live.has(file.id.value) && !this.outgoing.has(file.cid)) file.gone("It is no longer offered.");
        }
        for (const offer of msg.offers) this.announced(offer);
        return;
      }
      case "file_gone": {
        const file = this.find(msg.id);
        if (!file) return;
        file.gone(msg.reason);
        this.outgoing.delete(file.cid);
        return;
      }
      case "file_waiting": {
        const file = this.find(msg.id);
        if (file) file.waitingFor.value = msg.names;
        return;
      }
      case "upload": {
        const file = this.find(msg.id);
        if (file && this.outgoing.get(file.cid) === file) this.onUpload?.(file, msg.t);
        return;
      }
      case "transfer": {
        const file = this.find(msg.id);
        if (!file) return;
        const { c: _c, id: _id, ...view } = msg;
        file.transfers.value = [...file.transfers.value.filter((t) => t.t !== msg.t), view];
        return;
      }
    }
  }

  /** A file of ours, shown at once while it is hashed; `offer` then offers it. */
  attach(conv: Conversation, name: string, size: number, time: number): SharedFile {
    const self = this.deps.self();
    const file = new SharedFile({ cid: newClientId(), c: conv.id, by: self?.id ?? "", name: self?.name ?? "", role: self?.role ?? "patient", time, info: { name, size, sha256: "" } });
    file.state.value = "preparing";
    conv.files.value = [...conv.files.value, file];
    return file;
  }

  /** Offers a file of ours once hashed: the room announces it, or refuses it (`fail`). */
  offer(file: SharedFile, sha256: string): void {
    file.info = { ...file.info, sha256 };
    file.state.value = "offering";
    this.outgoing.set(file.cid, file);
    this.deps.send(this.offerFrame(file));
  }

  /** The sender withdraws a file of theirs; a recipient stops their own download of it. */
  cancel(file: SharedFile): void {
    const mine = this.outgoing.get(file.cid) === file;
    if (file.id.value) this.deps.send({ type: "file_cancel", id: file.id.value });
    if (!mine && file.by !== this.deps.self()?.id) return;
    this.outgoing.delete(file.cid);
    if (file.state.value !== "gone") file.gone("You cancelled it.");
  }

  /** The room refused an offer of ours (`cid`): true if it was one. */
  fail(cid: string, reason: string): boolean {
    const file = this.outgoing.get(cid);
    if (!file) return false;
    this.outgoing.delete(cid);
    file.gone(reason);
    return true;
  }

  /**
   * After a welcome: offers ours again, which the room forgot if it lost our
   * earlier socket or its memory. After a reset (`reset`), others' offers are
   * gone too, until their pages offer them again.
   */
  welcome(reset: boolean): void {
    if (reset) {
      for (const conv of this.deps.conversations()) {
        for (const file of conv.files.value) if (file.state.value === "offered" && !this.outgoing.has(file.cid)) file.gone("The connection to the room was reset. The sender's page may offer it again.");
      }
    }
    for (const file of [...this.outgoing.values()]) {
      const conv = this.deps.get(file.c);
      if (!conv || !conv.files.value.includes(file)) this.outgoing.delete(file.cid);
      else this.deps.send(this.offerFrame(file));
    }
  }

  private offerFrame(file: SharedFile): ClientMessage {
    return { type: "file_offer", c: file.c, cid: file.cid, file: { ...file.info } };
  }

  /** An offer the room announced, added or brought back to life; the file if it is someone else's, new to this page. */
  private announced(offer: FileOffer): SharedFile | undefined {
    const conv = this.deps.get(offer.c);
    if (!conv || offer.seq <= Math.max(conv.erasedUpto, conv.floor)) return;
    const own = this.outgoing.get(offer.cid);
    let file = own ?? conv.files.value.find((f) => f.by === offer.by && f.cid === offer.cid);
    const isNew = !file && offer.by !== this.deps.self()?.id;
    if (!file) file = new SharedFile({ cid: offer.cid, c: offer.c, by: offer.by, name: offer.name, role: offer.role, time: offer.time, info: offer.file });
    // Our own file keeps its place when the room announces it again after a blip.
    if (file.seq === Number.POSITIVE_INFINITY || !conv.files.value.includes(file)) file.seq = offer.seq;
    file.time = offer.time;
    file.id.value = offer.id;
    file.state.value = "offered";
    file.reason.value = null;
    conv.files.value = [...conv.files.value.filter((f) => f !== file), file].sort((a, b) => a.seq - b.seq);
    return isNew ? file : undefined;
  }

  private find(id: string): SharedFile | undefined {
    for (const conv of this.deps.conversations()) {
      const file = conv.files.value.find((f) => f.id.value === id);
      if (file) return file;
    }
    return undefined;
  }
}
