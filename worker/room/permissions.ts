import type { ConversationKind, Role } from "../../protocol/wire";

/** Everything someone may do in a room that depends on who they are. */
export type Action =
  | "send"
  | "broadcast"
  | "close"
  | "downloaded"
  | "start_session"
  | "end_session"
  | "leave_queue"
  | "open_direct"
  | "create_group"
  | "leave_group"
  | "delete_group"
  | "prefs"
  | "typing"
  | "delete_any"
  | "delete_own"
  | "add_participant"
  | "remove_participant"
  | "leave_session"
  | "send_file"
  | "download_file";

type Row = Partial<Record<Role, readonly (ConversationKind | "room")[]>>;

const PATIENT_CHATS = ["waiting", "session"] as const;
const STAFF_CHATS = ["direct", "group"] as const;
const ALL_CHATS = [...PATIENT_CHATS, ...STAFF_CHATS] as const;

/**
 * The permission table: per action, the roles allowed and the kinds of
 * conversation where they may do it ("room" for actions on no conversation).
 * Membership (is this person in that conversation?) and ownership (did this
 * host create that group?) are checked by the command on top of this.
 */
const TABLE: Record<Action, Row> = {
  send: { host: ALL_CHATS, staff: ALL_CHATS, patient: PATIENT_CHATS, guest: ["session"] },
  broadcast: { host: ["room"], staff: ["room"] },
  close: { host: PATIENT_CHATS, staff: PATIENT_CHATS },
  downloaded: { host: ALL_CHATS, staff: ALL_CHATS },
  start_session: { host: ["waiting", "session"] },
  end_session: { host: ["session"] },
  leave_queue: { patient: ["room"] },
  open_direct: { host: ["room"], staff: ["room"] },
  create_group: { host: ["room"] },
  leave_group: { host: ["group"], staff: ["group"] },
  delete_group: { host: ["group"] },
  prefs: { host: STAFF_CHATS, staff: STAFF_CHATS },
  typing: { host: ALL_CHATS, staff: ALL_CHATS, patient: PATIENT_CHATS, guest: ["session"] },
  delete_any: { host: ALL_CHATS },
  delete_own: { host: ALL_CHATS, staff: ALL_CHATS, patient: PATIENT_CHATS, guest: ["session"] },
  add_participant: { host: ["session"] },
  remove_participant: { host: ["session"] },
  leave_session: { staff: ["session"], patient: ["session"], guest: ["session"] },
  // Files go wherever messages go: everyone who may write in a conversation may send one, and everyone in it may download.
  send_file: { host: ALL_CHATS, staff: ALL_CHATS, patient: PATIENT_CHATS, guest: ["session"] },
  download_file: { host: ALL_CHATS, staff: ALL_CHATS, patient: PATIENT_CHATS, guest: ["session"] },
};

export function can(role: Role, action: Action, where: ConversationKind | "room" = "room"): boolean {
  return TABLE[action][role]?.includes(where) ?? false;
}

/** The plain-language refusal for an action a role may not take. */
export function refusal(action: Action): string {
  switch (action) {
    case "start_session":
    case "end_session":
    case "create_group":
    case "add_participant":
    case "remove_participant":
      return "Only a provider with a host licence can do that.";
    case "delete_own":
      return "You can delete only your own messages.";
    case "leave_session":
      return "A host ends the session instead of leaving it.";
    case "delete_group":
      return "Only the host who created this group can delete it.";
    case "leave_queue":
      return "Only a patient can leave the queue.";
    default:
      return "You cannot do that here.";
  }
}
