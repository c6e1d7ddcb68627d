import { formatTranscript, type TranscriptEntry } from "../lib/transcript";
import type { ProviderSession } from "./model";
import type { Thread } from "./thread";

/** Builds chat-history.txt from what the chat box shows and saves it. */
export function downloadThread(session: ProviderSession, t: Thread, startedAt: number): void {
  const messages = t.messages.value;
  const entries: TranscriptEntry[] = messages.map((m) => ({
    kind: "message",
    time: m.time,
    role: m.from === "provider" ? "Provider" : "Patient",
    name: m.name,
    text: m.text,
  }));
  const text = formatTranscript({
    room: session.room,
    session: "waiting-room chat",
    participants: [
      { role: "Provider", name: session.name },
      { role: "Patient", name: t.name },
    ],
    start: Math.min(startedAt, messages[0]?.time ?? startedAt),
    entries,
  });
  save("chat-history.txt", text);
  t.downloadedSeq.value = t.cursor;
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
