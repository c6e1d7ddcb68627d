import type { ServerMessage } from "../../protocol/wire";
import { messageFrame, type Conversation, type Stored } from "./conversation";
import type { People } from "./people";
import type { Socket } from "./socket";

/** One message on its way to a conversation's pages. */
interface MessageSend {
  conv: Conversation;
  m: Stored;
  except?: Socket;
  only?: (page: Socket) => boolean;
  frame: string | undefined;
}

/**
 * Sending: every frame is serialized once, whatever the number of pages it
 * goes to. A patient's conversation reaches the patient's (and guests')
 * pages and every staff page; a staff conversation its members' pages.
 */
export class Fanout {
  private readonly people: People;

  constructor(people: People) {
    this.people = people;
  }

  toPerson(id: string, msg: ServerMessage | string): void {
    const person = this.people.get(id);
    if (!person || person.pages.size === 0) return;
    const frame = typeof msg === "string" ? msg : JSON.stringify(msg);
    for (const page of person.pages) page.sendRaw(frame);
  }

  toStaff(msg: ServerMessage | string, except?: Socket): void {
    let frame: string | undefined;
    for (const page of this.people.staffPages()) {
      if (page === except) continue;
      frame ??= typeof msg === "string" ? msg : JSON.stringify(msg);
      page.sendRaw(frame);
    }
  }

  /** Pages of everyone in the conversation who is not staff (the patient, guests). */
  *outsidePages(conv: Conversation): Iterable<Socket> {
    for (const id of conv.outsiders()) {
      const person = this.people.get(id);
      if (person) yield* person.pages;
    }
  }

  /** Every page in the conversation. */
  *pages(conv: Conversation): Iterable<Socket> {
    if (conv.staffOnly) {
      for (const id of conv.memberIds()) {
        const person = this.people.get(id);
        if (person) yield* person.pages;
      }
      return;
    }
    yield* this.outsidePages(conv);
    yield* this.people.staffPages();
  }

  toConversation(conv: Conversation, msg: ServerMessage | string, except?: Socket): void {
    const frame = typeof msg === "string" ? msg : JSON.stringify(msg);
    for (const page of this.pages(conv)) if (page !== except) page.sendRaw(frame);
  }

  /**
   * A message to every page in its conversation that may see it: a page
   * never gets anything at or below its own floor or its person's. The
   * people it is for get it before the writer's own pages get their echo.
   */
  message(conv: Conversation, m: Stored, except?: Socket, only?: (page: Socket) => boolean): void {
    const send: MessageSend = { conv, m, except, only, frame: undefined };
    const writer = this.people.get(m.by);
    // Plain loops rather than `pages()`: this runs for every message.
    if (conv.staffOnly) {
      for (const id of conv.memberIds()) if (id !== m.by) this.messageTo(this.people.get(id)?.pages, send);
    } else {
      for (const id of conv.outsiders()) if (id !== m.by) this.messageTo(this.people.get(id)?.pages, send);
      for (const person of this.people.staff()) if (person !== writer) this.messageTo(person.pages, send);
    }
    if (writer && conv.includes(writer.id, writer.staff)) this.messageTo(writer.pages, send);
  }

  private messageTo(pages: Iterable<Socket> | undefined, send: MessageSend): void {
    if (!pages) return;
    const { conv, m, except, only } = send;
    for (const page of pages) {
      if (page === except || m.seq <= page.floor || (conv.floors && m.seq <= conv.floorFor(page.person.id))) continue;
      if (only && !only(page)) continue;
      send.frame ??= messageFrame(conv.id, m);
      page.sendRaw(send.frame);
    }
  }
}
