import type { ChatMessage } from "../../protocol/wire";
import type { StaffConversation } from "./staff-conversation";

/** What happened in a room, for pages to turn into notices, sounds and announcements. */
export type RoomEvent =
  | { type: "welcome"; reset: boolean; now: number }
  /** A new message from someone else. */
  | { type: "message"; conv: StaffConversation; msg: ChatMessage }
  | { type: "patient_arrived"; conv: StaffConversation }
  | { type: "patient_left"; conv: StaffConversation }
  | { type: "session_started"; conv: StaffConversation }
  | { type: "session_ended"; conv: StaffConversation }
  /** Messages this page held were erased (`mine`: for this person only). */
  | { type: "erased"; conv: StaffConversation; mine: boolean }
  | { type: "downloaded"; conv: StaffConversation }
  | { type: "conversation_added"; conv: StaffConversation }
  | { type: "member_left"; conv: StaffConversation; name: string }
  | { type: "group_deleted"; conv: StaffConversation }
  /** A session's participant list changed (someone joined, left, was removed, connected or not). */
  | { type: "participants"; conv: StaffConversation }
  /** A message was deleted for everyone. */
  | { type: "deleted"; conv: StaffConversation; by: string }
  /** An error the room sent that is about no pending message. */
  | { type: "notice"; text: string };
