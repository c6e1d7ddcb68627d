import type { Role } from "../../protocol/constants";
import type { Seed } from "../../protocol/wire";
import type { Conversation } from "./conversation";
import { seedFrames } from "./replica";
import type { StaffConversation } from "./staff-conversation";

/** What a patient's or a guest's page hands a reset room back of their conversation: its messages and deleted messages' places. */
export function ownSeeds(conv: Conversation): Seed[] {
  return seedFrames(conv.id, conv.messages.value, { deleted: conv.tombstones.value });
}

/**
 * What a staff page hands a reset room back of one conversation, as seed
 * frames: its messages and deleted messages' places, with a staff
 * conversation's signed description, or a patient's queue entry, erase
 * points, session, participant list and (a host's page) access code.
 * Nothing of a patient who left or a session that ended.
 */
export function staffSeeds(conv: StaffConversation, role: Role | undefined): Seed[] {
  const deleted = conv.tombstones.value;
  const meta = conv.meta.value;
  if (meta) return seedFrames(conv.id, conv.messages.value, { meta, deleted });
  const patient = conv.patient.value;
  if (!patient || conv.status.value === "left" || conv.status.value === "ended") return [];
  const session = conv.session.value;
  return seedFrames(conv.id, conv.messages.value, {
    patient: {
      id: patient.id,
      name: patient.name,
      checkedInAt: patient.checkedInAt,
      ...(session && !session.endedAt ? { session: { id: session.id, startedAt: session.startedAt, ...(session.scheduled ? { scheduled: true as const } : {}) } } : {}),
    },
    ...(conv.erasedUpto > 0 ? { erased: conv.erasedUpto } : {}),
    ...(conv.floor > 0 ? { floor: conv.floor } : {}),
    ...(session && conv.roster.value ? { roster: conv.roster.value } : {}),
    ...(session && conv.code.value && role === "host" ? { code: conv.code.value } : {}),
    deleted,
  });
}
