import type { StaffConversation } from "../room/staff-conversation";

/** What a chat is called on this page: the patient's name, the group's name, or the colleague's. */
export function titleOf(conv: StaffConversation, selfId: string): string {
  const patient = conv.patient.value;
  if (patient) return patient.name;
  const meta = conv.meta.value;
  if (!meta) return "Chat";
  if (meta.kind === "group") return meta.title ?? "Group";
  return meta.members.find((m) => m.id !== selfId)?.name ?? meta.members[0]?.name ?? "Chat";
}
