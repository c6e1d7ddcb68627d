import { describe, expect, it } from "vitest";
import { formatTranscript, type TranscriptEntry } from "../../../client/lib/transcript.ts";

// A file in chat-history.txt: one event line with its time, sender, name,
// exact size and SHA-256, never its contents.

const START = Date.UTC(2026, 10, 21, 19, 0, 0);
const SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

function history(entries: TranscriptEntry[]): string {
  return formatTranscript({
    room: "demo",
    session: "waiting-room chat",
    participants: [{ role: "Patient", name: "Alice" }],
    start: START,
    entries,
    utcOffsetMinutes: () => -300,
  });
}

const file = (fileName: string, size = 120_000_000, name = "Alice"): TranscriptEntry => ({ kind: "file", time: START + 60_000, role: "Patient", name, fileName, size, sha256: SHA });

describe("a file in chat-history.txt", () => {
  it("is an event line with the time, sender, name, exact size and SHA-256", () => {
    const out = history([{ kind: "message", time: START, role: "Patient", name: "Alice", text: "Here is my scan" }, file("scan-results.pdf")]);

    expect(out).toContain(`\n2026-11-21T14:01:00-05:00 * File from [Patient] Alice: scan-results.pdf (120,000,000 bytes, SHA-256 ${SHA})\n`);
    expect(out.endsWith("\nMessages: 1\nFiles: 1\n")).toBe(true);
  });

  it("says one byte, and groups thousands whatever the reader's locale", () => {
    expect(history([file("a.txt", 1)])).toContain("a.txt (1 byte, SHA-256");
    expect(history([file("b.bin", 1_234)])).toContain("b.bin (1,234 bytes, SHA-256");
  });

  it("keeps a right-to-left file name or sender from reordering the line", () => {
    const out = history([file("تقرير.pdf", 10, "سارة")]);

    expect(out).toContain("* File from [Patient] \u2068سارة\u2069: \u2068تقرير.pdf\u2069 (10 bytes");
  });

  it("a history without files has no files line", () => {
    expect(history([])).not.toContain("Files:");
  });
});
