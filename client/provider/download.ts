import { formatTranscript, type TranscriptEntry } from "../lib/transcript";
import type { ProviderSession } from "./model";
import type { Thread } from "./thread";

/**
 * Builds chat-history.txt from exactly what the chat box shows: its messages
 * in sequence order, with joins, leaves and session start/end where they
 * happened. Then saves it.
 */
export function downloadThread(session: ProviderSession, t: Thread): void {
  const text = formatTranscript({
    room: session.room,
    session: t.session.value?.id ?? "waiting-room chat",
    participants: [
      { role: "Provider", name: session.name },
      { role: "Patient", name: t.name },
    ],
    start: t.session.value?.startedAt ?? t.checkedInAt,
    end: t.session.value?.endedAt,
    entries: timeline(t),
  });
  save("chat-history.txt", text);
  t.downloadedSeq.value = t.cursor;
}

function timeline(t: Thread): TranscriptEntry[] {
  return t.timeline().map((item) =>
    item.kind === "event"
      ? { kind: "event", time: item.event.time, text: item.event.text }
      : { kind: "message", time: item.msg.time, role: item.msg.from === "provider" ? "Provider" : "Patient", name: item.msg.name, text: item.msg.text },
  );
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
