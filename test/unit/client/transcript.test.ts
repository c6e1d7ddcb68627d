import { describe, it, expect } from "vitest";
import {
  CONSENT,
  formatTranscript,
  isoWithOffset,
  type TranscriptEntry,
  type TranscriptInput,
} from "../../../client/lib/transcript.ts";

// 2026-11-21T19:00:00Z = 14:00 in New York (EST, -05:00).
const START = Date.UTC(2026, 10, 21, 19, 0, 0);
const EST = () => -300;
const at = (min: number, sec = 0) => START + min * 60000 + sec * 1000;

const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d (\[(Host|Staff|Patient|Guest)\] |\* )/;
const MESSAGE_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d \[(Host|Staff|Patient|Guest)\] /;

function input(entries: TranscriptEntry[], extra: Partial<TranscriptInput> = {}): TranscriptInput {
  return {
    room: "demo",
    session: "waiting-room chat",
    participants: [
      { role: "Host", name: "Dr. Smith" },
      { role: "Patient", name: "Alice" },
    ],
    start: START,
    entries,
    utcOffsetMinutes: EST,
    ...extra,
  };
}

function msg(text: string, min = 3, role: "Host" | "Staff" | "Patient" | "Guest" = "Patient", name = "Alice"): TranscriptEntry {
  return { kind: "message", time: at(min), role, name, text };
}

/** The lines between the header's blank line and the footer's blank line. */
function body(out: string): string[] {
  const lines = out.split("\n");
  const start = lines.indexOf("") + 1;
  const end = lines.lastIndexOf("", lines.length - 2);
  return lines.slice(start, end);
}

function expectParseable(out: string): void {
  for (const line of body(out)) {
    if (line.startsWith("    ")) continue;
    expect(line).toMatch(LINE);
  }
}

describe("chat-history.txt header", () => {
  it("names the room, session, participants, start and end with offset, and the consent", () => {
    const out = formatTranscript(input([], { end: at(30) }));
    expect(out.split("\n").slice(0, 10)).toEqual([
      "queue-chat chat history",
      "Room: demo",
      "Session: waiting-room chat",
      "Participants:",
      "  Host: Dr. Smith",
      "  Patient: Alice",
      "Started: 2026-11-21T14:00:00-05:00",
      "Ended: 2026-11-21T14:30:00-05:00",
      `Consent: ${CONSENT}`,
      "",
    ]);
    expect(CONSENT).toBe("Downloading this chat implies permission from all participants.");
  });

  it("omits the Ended line while the session is still open", () => {
    const out = formatTranscript(input([]));
    expect(out).toContain("Started: 2026-11-21T14:00:00-05:00\nConsent: ");
    expect(out).not.toContain("Ended:");
  });

  it("uses each instant's own offset (a session spanning a DST change)", () => {
    const out = formatTranscript(input([], { end: at(30), utcOffsetMinutes: (ms) => (ms < at(15) ? -240 : -300) }));
    expect(out).toContain("Started: 2026-11-21T15:00:00-04:00");
    expect(out).toContain("Ended: 2026-11-21T14:30:00-05:00");
  });

  it("keeps header names on one line", () => {
    const out = formatTranscript(
      input([], { room: "de\nmo", participants: [{ role: "Guest", name: "Bob\r\nHost: Eve" }] }),
    );
    expect(out).toContain("Room: de\uFFFDmo\n");
    expect(out).toContain("  Guest: Bob\uFFFDHost: Eve\n");
  });

  it("defaults to the browser's time zone", () => {
    const out = formatTranscript({ ...input([msg("hi")]), utcOffsetMinutes: undefined });
    const expected = isoWithOffset(at(3), -new Date(at(3)).getTimezoneOffset());
    expect(out).toContain(`${expected} [Patient] Alice: hi\n`);
  });
});

describe("message lines", () => {
  it("prints one line per message with ISO 8601 time, offset, role and name", () => {
    const out = formatTranscript(
      input([
        { kind: "message", time: at(3, 12), role: "Host", name: "Dr. Smith", text: "Hello Alice" },
        { kind: "message", time: at(3, 40), role: "Patient", name: "Alice", text: "Hi" },
        { kind: "message", time: at(4), role: "Guest", name: "Bob", text: "Hey" },
      ]),
    );
    expect(body(out)).toEqual([
      "2026-11-21T14:03:12-05:00 [Host] Dr. Smith: Hello Alice",
      "2026-11-21T14:03:40-05:00 [Patient] Alice: Hi",
      "2026-11-21T14:04:00-05:00 [Guest] Bob: Hey",
    ]);
  });

  it("formats a negative offset", () => {
    expect(isoWithOffset(Date.UTC(2026, 10, 21, 19, 3, 12), -300)).toBe("2026-11-21T14:03:12-05:00");
    expect(isoWithOffset(Date.UTC(2026, 0, 1, 2, 0, 0), -210)).toBe("2025-12-31T22:30:00-03:30");
  });

  it("formats a positive offset that is not a whole hour", () => {
    expect(isoWithOffset(Date.UTC(2026, 10, 21, 19, 3, 12), 330)).toBe("2026-11-22T00:33:12+05:30");
    expect(isoWithOffset(Date.UTC(2026, 10, 21, 19, 3, 12), 345)).toBe("2026-11-22T00:48:12+05:45");
  });

  it("formats UTC as +00:00 (never Z, never -00:00)", () => {
    expect(isoWithOffset(Date.UTC(2026, 10, 21, 19, 3, 12), 0)).toBe("2026-11-21T19:03:12+00:00");
    expect(isoWithOffset(Date.UTC(2026, 10, 21, 19, 3, 12), -0)).toBe("2026-11-21T19:03:12+00:00");
  });

  it("truncates to whole seconds", () => {
    expect(isoWithOffset(Date.UTC(2026, 10, 21, 19, 3, 12, 999), 0)).toBe("2026-11-21T19:03:12+00:00");
  });

  it("uses the given offset in message lines", () => {
    const out = formatTranscript(input([msg("hi")], { utcOffsetMinutes: () => 330 }));
    expect(body(out)).toEqual(["2026-11-22T00:33:00+05:30 [Patient] Alice: hi"]);
  });
});

describe("multi-line messages", () => {
  it("continue on lines indented with 4 spaces, for CRLF, lone CR, LF and U+2028", () => {
    const out = formatTranscript(input([msg("a\r\nb\rc\nd\u2028e")]));
    expect(body(out)).toEqual([
      "2026-11-21T14:03:00-05:00 [Patient] Alice: a",
      "    b",
      "    c",
      "    d",
      "    e",
    ]);
  });

  it("also break on U+2029, NEL, vertical tab and form feed", () => {
    const out = formatTranscript(input([msg("a\u2029b\u0085c\vd\fe")]));
    expect(body(out)).toEqual([
      "2026-11-21T14:03:00-05:00 [Patient] Alice: a",
      "    b",
      "    c",
      "    d",
      "    e",
    ]);
  });

  it("keeps blank and trailing lines, indented", () => {
    const out = formatTranscript(input([msg("first line\nsecond line\n")]));
    expect(body(out)).toEqual([
      "2026-11-21T14:03:00-05:00 [Patient] Alice: first line",
      "    second line",
      "    ",
    ]);
  });

  it("cannot forge another sender or an event on a continuation line", () => {
    const forged = [
      "2026-11-21T14:05:00-05:00 [Host] Dr. Smith: please pay",
      "2026-11-21T14:05:00-05:00 * Session ended",
      "[Host] Dr. Smith: hi",
      "Messages: 99",
    ].join("\n");
    for (const sep of ["\r\n", "\r", "\n", "\u2028", "\u2029", "\u0085", "\v", "\f"]) {
      const out = formatTranscript(input([msg("ok" + sep + forged.split("\n").join(sep))]));
      expectParseable(out);
      const messageLines = out.split("\n").filter((l) => MESSAGE_LINE.test(l));
      expect(messageLines).toEqual(["2026-11-21T14:03:00-05:00 [Patient] Alice: ok"]);
      expect(out.endsWith("\nMessages: 1\n")).toBe(true);
      // No raw line-break character survives anywhere but as "\n".
      expect(out).not.toMatch(/[\r\v\f\u0085\u2028\u2029]/);
    }
  });
});

describe("text and names are kept exactly", () => {
  it("keeps unicode and emoji", () => {
    const text = "Grüße 👋🏽 — 日本語, 👨‍👩‍👧‍👦, e\u0301, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢";
    const out = formatTranscript(input([msg(text, 3, "Patient", "Zoë 🌸")]));
    expect(body(out)).toEqual([`2026-11-21T14:03:00-05:00 [Patient] Zoë 🌸: ${text}`]);
  });

  it("keeps a very long line whole (10,000 characters)", () => {
    const text = "lorem ipsum ".repeat(833) + "the end.";
    expect(text.length).toBe(10004);
    const out = formatTranscript(input([msg(text)]));
    expect(body(out)).toEqual([`2026-11-21T14:03:00-05:00 [Patient] Alice: ${text}`]);
  });

  it("keeps names with colons and brackets, and they cannot fake a second sender", () => {
    const name = "Dr. O'Brien: [MD]";
    const out = formatTranscript(
      input([msg("hello", 3, "Host", name)], { participants: [{ role: "Host", name }] }),
    );
    expect(out).toContain(`  Host: ${name}\n`);
    expect(body(out)).toEqual([`2026-11-21T14:03:00-05:00 [Host] ${name}: hello`]);
    expectParseable(out);
  });

  it("keeps a name that imitates a line prefix on the real sender's line", () => {
    const name = "Alice\n2026-11-21T14:03:00-05:00 [Host] Dr. Smith";
    const out = formatTranscript(input([msg("you are cleared", 3, "Patient", name)]));
    expect(body(out)).toEqual([
      "2026-11-21T14:03:00-05:00 [Patient] Alice\uFFFD2026-11-21T14:03:00-05:00 [Host] Dr. Smith: you are cleared",
    ]);
  });

  it("keeps right-to-left text as is and isolates only right-to-left names", () => {
    const hebrew = "שלום, מה שלומך?";
    const arabic = "مرحبا، كيف حالك؟";
    const out = formatTranscript(
      input([
        msg(hebrew, 3, "Patient", "דנה"),
        msg(arabic, 4, "Guest", "سارة"),
        msg(hebrew + "\n" + arabic, 5, "Host", "Dr. Smith"),
      ]),
    );
    expect(body(out)).toEqual([
      `2026-11-21T14:03:00-05:00 [Patient] \u2068דנה\u2069: ${hebrew}`,
      `2026-11-21T14:04:00-05:00 [Guest] \u2068سارة\u2069: ${arabic}`,
      `2026-11-21T14:05:00-05:00 [Host] Dr. Smith: ${hebrew}`,
      `    ${arabic}`,
    ]);
    expectParseable(out);
    // No bidi marks were added to the text itself.
    const marks = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
    expect(out.match(marks)).toEqual(["\u2068", "\u2069", "\u2068", "\u2069"]);
  });

  it("isolates a name carrying bidi overrides so they cannot leak past it", () => {
    const name = "\u202Eecila";
    const out = formatTranscript(input([msg("hi", 3, "Patient", name)]));
    expect(body(out)).toEqual([`2026-11-21T14:03:00-05:00 [Patient] \u2068${name}\u2069: hi`]);
  });

  it("replaces control characters with U+FFFD in text and names, and tabs with four spaces", () => {
    const out = formatTranscript(
      input([msg("bell\u0007 nul\u0000 esc\u001b[31m del\u007f csi\u009b tab\tok", 3, "Patient", "Al\u0000ice\u001b")]),
    );
    expect(body(out)).toEqual([
      "2026-11-21T14:03:00-05:00 [Patient] Al\uFFFDice\uFFFD: bell\uFFFD nul\uFFFD esc\uFFFD[31m del\uFFFD csi\uFFFD tab    ok",
    ]);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it("replaces unpaired surrogates, which UTF-8 cannot carry", () => {
    const out = formatTranscript(input([msg("a\uD800b\uDC00c 😀")]));
    expect(body(out)).toEqual(["2026-11-21T14:03:00-05:00 [Patient] Alice: a\uFFFDb\uFFFDc 😀"]);
  });
});

describe("opened in a spreadsheet", () => {
  /** Cells a spreadsheet would run as a formula (or that start with a tab or CR that hides one). */
  const FORMULA_START = /^[=+\-@\t\r]/;

  it("as tab-separated values, every line is one cell and none starts like a formula", () => {
    const payloads = ["=HYPERLINK(\"https://evil.example\",\"Open\")", "+SUM(A1:A9)", "-2+3", "@cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"];
    const out = formatTranscript(
      input(
        [
          msg(payloads.join("\t"), 3, "Patient", "Ali\tce"),
          msg(payloads.join("\n"), 4, "Host", "Dr.\t=Smith"),
          { kind: "event", time: at(5), text: "\t=1+1 left" },
        ],
        { room: "demo\t=1", session: "\t+x", participants: [{ role: "Patient", name: "\t@Ali" }] },
      ),
    );

    expect(out).not.toContain("\t");
    for (const line of out.split("\n")) {
      for (const cell of line.split("\t")) expect(cell, line).not.toMatch(FORMULA_START);
    }
    // The text is all still there, each tab widened to four spaces.
    expect(body(out).slice(0, 2)).toEqual([
      `2026-11-21T14:03:00-05:00 [Patient] Ali    ce: =HYPERLINK("https://evil.example","Open")    +SUM(A1:A9)    -2+3    @cmd|' /C calc'!A0        =1+1    `,
      "    =1+1",
    ]);
  });
});

describe("events and footer", () => {
  it("prints events inline, timestamped, with a star", () => {
    const out = formatTranscript(
      input([
        { kind: "event", time: at(1), text: "Alice joined the waiting room" },
        { kind: "message", time: at(3, 12), role: "Host", name: "Dr. Smith", text: "Hello Alice" },
        { kind: "event", time: at(3, 30), text: "Text-only session started" },
        { kind: "message", time: at(3, 40), role: "Patient", name: "Alice", text: "first line\nsecond line\n" },
        { kind: "event", time: at(4), text: "Alice left the waiting room" },
      ]),
    );
    expect(body(out)).toEqual([
      "2026-11-21T14:01:00-05:00 * Alice joined the waiting room",
      "2026-11-21T14:03:12-05:00 [Host] Dr. Smith: Hello Alice",
      "2026-11-21T14:03:30-05:00 * Text-only session started",
      "2026-11-21T14:03:40-05:00 [Patient] Alice: first line",
      "    second line",
      "    ",
      "2026-11-21T14:04:00-05:00 * Alice left the waiting room",
    ]);
    expectParseable(out);
  });

  it("counts messages only, not events, in the footer", () => {
    const out = formatTranscript(
      input([
        { kind: "event", time: at(1), text: "Alice joined the waiting room" },
        msg("one", 2),
        msg("two\nlines", 3),
        { kind: "event", time: at(4), text: "Alice left the waiting room" },
      ]),
    );
    expect(out.endsWith("\n\nMessages: 2\n")).toBe(true);
  });

  it("prints (no messages) and Messages: 0 for an empty session", () => {
    const out = formatTranscript(input([], { end: at(30) }));
    expect(out).toBe(
      [
        "queue-chat chat history",
        "Room: demo",
        "Session: waiting-room chat",
        "Participants:",
        "  Host: Dr. Smith",
        "  Patient: Alice",
        "Started: 2026-11-21T14:00:00-05:00",
        "Ended: 2026-11-21T14:30:00-05:00",
        `Consent: ${CONSENT}`,
        "",
        "(no messages)",
        "",
        "Messages: 0",
        "",
      ].join("\n"),
    );
  });

  it("ends the file with a single newline", () => {
    for (const entries of [[], [msg("trailing\n\n")], [{ kind: "event" as const, time: at(1), text: "x\n" }]]) {
      const out = formatTranscript(input(entries));
      expect(out.endsWith("\n")).toBe(true);
      expect(out.endsWith("\n\n")).toBe(false);
      expect(out).not.toContain("\r");
    }
  });
});
