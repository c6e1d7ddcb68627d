import type { FileOffer } from "../../../protocol/files";
import type { RoomContext } from "../context";
import type { Conversation } from "../conversation";
import type { Person } from "../people";
import type { Socket } from "../socket";
import type { Reservation } from "./allowance";
import type { Transfer } from "./relay";

/** A file on offer: it lives while the page that offered it is open, and goes with its conversation. */
export interface Offer {
  readonly frame: FileOffer;
  readonly conv: Conversation;
  /** The page that holds the file (its socket now): only it can send it. */
  from: Socket;
  readonly by: Person;
  readonly transfers: Set<Running>;
  /**
   * The links downloads were started with. Each click makes a new one; a
   * browser that retries an interrupted download by itself asks with the
   * same link and is refused, so a cancel stays a cancel.
   */
  readonly links: Set<string>;
  /** Recipients not connected, as last told to the sender. */
  waiting: string;
}

/** One recipient's download of an offer. */
export interface Running {
  readonly t: string;
  readonly offer: Offer;
  readonly to: Person;
  readonly transfer: Transfer;
  readonly reservation: Reservation;
  readonly startedAt: number;
  reported: number;
}

/** Why an offer is gone, or null while it lives. */
export function deadReason(ctx: RoomContext, offer: Offer): string | null {
  if (!offer.from.isOpen) return "The sender's page closed.";
  if (ctx.conversations.get(offer.conv.id) !== offer.conv) return "The conversation ended.";
  if (offer.frame.seq <= offer.conv.erasedUpto) return "The conversation was erased.";
  if (!offer.conv.includes(offer.by.id, offer.by.staff)) return "The sender left the conversation.";
  return null;
}

/** Recipients with no page open: the offer waits for them. */
export function absent(ctx: RoomContext, offer: Offer): string[] {
  const { conv, by } = offer;
  const away = (id: string) => id !== by.id && !ctx.people.get(id)?.pages.size;
  if (conv.staffOnly) return (conv.meta?.members ?? []).filter((m) => away(m.id)).map((m) => m.name);
  const names = conv.outsiders().filter(away).map((id) => ctx.people.get(id)?.name ?? conv.patient?.name ?? "");
  if (!by.staff && !ctx.people.staffOnline) names.push("your provider");
  return names;
}

/** Whether a page may see an offer: above its floor and its person's erase point, as for a message. */
export function sees(page: Socket, offer: Offer): boolean {
  return offer.frame.seq > page.floor && seenBy(page.person, offer);
}

export function seenBy(person: Person, offer: Offer): boolean {
  return offer.frame.seq > offer.conv.floorFor(person.id);
}
