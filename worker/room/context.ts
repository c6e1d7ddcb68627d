import type { ClientMessage, ClientMessageOf, Role } from "../../protocol/wire";
import type { AccessCodes } from "./access-codes";
import type { Sequencer } from "./clock";
import type { Conversations } from "./conversations";
import type { Fanout } from "./fanout";
import type { Files } from "./files/files";
import type { People } from "./people";
import type { Queue } from "./queue";
import type { Signatures } from "./signatures";
import type { Socket } from "./socket";

/** Ids only: audit events never carry names or message text. */
export interface AuditEvent {
  event:
    | "joined"
    | "left"
    | "erased"
    | "admitted"
    | "ended"
    | "downloaded"
    | "signed_in"
    | "signed_out"
    | "group_created"
    | "group_left"
    | "group_deleted"
    | "message_deleted"
    | "code_made"
    | "code_withdrawn"
    | "removed"
    | "file_offered"
    | "file_saved";
  room: string;
  participant: string;
  role: Role;
}

/**
 * The room's parts, as commands see them. Each part owns its own state;
 * commands are plain functions that read and change the parts, so adding a
 * feature is a command file and a few permission rows.
 */
export interface RoomContext {
  readonly name: string;
  now(): number;
  readonly graceMs: number;
  readonly seq: Sequencer;
  readonly sigs: Signatures;
  readonly people: People;
  readonly queue: Queue;
  readonly conversations: Conversations;
  readonly fanout: Fanout;
  /** Files on offer and moving (nothing of a file is kept but a few chunks per moving transfer). */
  readonly files: Files;
  /** The room instance: changes when its memory was reset. */
  readonly epoch: string;
  /** When this room instance began: soon after a reset, pages are still handing back what it lost. */
  readonly startedAt: number;
  /** Sessions' access codes, and the directory that finds a session from its code. */
  readonly codes: AccessCodes;
  audit(event: AuditEvent["event"], who: { id: string; role: Role }): void;
}

export type Command<T extends ClientMessage["type"]> = (ctx: RoomContext, socket: Socket, msg: ClientMessageOf<T>) => void;
export type Commands = { [T in ClientMessage["type"]]: Command<T> };
