import { formatTranscript, type TranscriptEntry, type TranscriptParticipant, type TranscriptRole } from "../lib/transcript";
import type { StaffConversation } from "../room/staff-conversation";
import type { ProviderSession } from "./model";
import { titleOf } from "./names";

const ROLE: Record<string, TranscriptRole> = { host: "Host", staff: "Staff", patient: "Patient", guest: "Guest" };

/**
 * Builds chat-history.txt from exactly what the chat box shows: its messages
 * in sequence order, with joins, leaves and session start/end where they
 * happened. Then saves it.
 */
export function downloadConversation(session: Pick<ProviderSession, "room" | "id" | "name" | "role">, conv: StaffConversation): void {
  save("chat-history.txt", transcriptOf(session, conv));
  conv.downloadedSeq.value = conv.top;
}

/** chat-history.txt for `conv` as this page holds it (no DOM: unit-tested). */
export function transcriptOf(session: Pick<ProviderSession, "room" | "id" | "name" | "role">, conv: StaffConversation, utcOffsetMinutes?: (ms: number) => number): string {
  const meta = conv.meta.value;
  const patient = conv.patient.value;
  return formatTranscript({
    room: session.room,
    session: conv.session.value?.id ?? (patient ? "waiting-room chat" : meta?.kind === "group" ? `staff group: ${titleOf(conv, session.id)}` : "staff chat"),
    participants: participants(session, conv),
    start: conv.session.value?.startedAt ?? patient?.checkedInAt ?? conv.messages.value[0]?.time ?? Date.now(),
    end: conv.session.value?.endedAt,
    entries: timeline(conv),
    ...(utcOffsetMinutes ? { utcOffsetMinutes } : {}),
  });
}

/**
 * Everyone who took part: the members of a staff chat; for a patient's
 * chat, the patient, a session's participants (who left or was removed
 * included) and whoever wrote.
 */
function participants(session: Pick<ProviderSession, "id" | "name" | "role">, conv: StaffConversation): TranscriptParticipant[] {
  const out = new Map<string, TranscriptParticipant>();
  const meta = conv.meta.value;
  if (meta) for (const m of [...meta.members, ...(meta.left ?? [])]) out.set(m.id, { role: ROLE[m.role], name: m.name });
  out.set(session.id, { role: ROLE[session.role], name: session.name });
  for (const m of conv.roster.value?.members ?? []) if (!out.has(m.id)) out.set(m.id, { role: ROLE[m.role], name: m.name });
  for (const m of conv.messages.value) if (!out.has(m.by)) out.set(m.by, { role: ROLE[m.role], name: m.name });
  for (const f of conv.files.value) if (f.id.value && !out.has(f.by)) out.set(f.by, { role: ROLE[f.role], name: f.name });
  const patient = conv.patient.value;
  if (patient) out.set(patient.id, { role: "Patient", name: patient.name });
  return [...out.values()];
}

/** Messages, events, and in a deleted message's place who deleted it (never its text). */
function timeline(conv: StaffConversation): TranscriptEntry[] {
  return conv.timeline().flatMap((item): TranscriptEntry[] => {
    if (item.kind === "event") return [{ kind: "event", time: item.event.time, text: item.event.text }];
    if (item.kind === "deleted") return [{ kind: "event", time: item.tombstone.time, text: `message deleted by ${item.tombstone.name}` }];
    if (item.kind === "message") return [{ kind: "message", time: item.msg.time, role: ROLE[item.msg.role], name: item.msg.name, text: item.msg.text }];
    // A file that was offered (not one refused or still being prepared): never its contents.
    const { file } = item;
    if (!file.id.value) return [];
    return [{ kind: "file", time: file.time, role: ROLE[file.role], name: file.name, fileName: file.info.name, size: file.info.size, sha256: file.info.sha256 }];
  });
}

export function save(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
