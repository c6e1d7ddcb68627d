/**
 * Formats the provider's chat log as `chat-history.txt` (PRODUCT.md, promise 4).
 *
 * Pure: no DOM, no clock, no imports. The caller turns the string into a
 * `text/plain;charset=utf-8` Blob.
 *
 * Layout guarantees:
 * - every message and event line starts with an ISO 8601 timestamp with offset,
 *   followed by "[Role] name: " (message) or "* " (event); a file is an event
 *   line naming its sender, its name, its exact size and its SHA-256;
 * - a message's further lines are indented with 4 spaces, so no line of a
 *   message can pass for another sender or an event;
 * - names, room and session are always kept on one line;
 * - no tabs: each becomes four spaces. A spreadsheet that opens the file as
 *   tab-separated values then finds one cell per line, and every line starts
 *   with a timestamp, a fixed label or indentation: never with `=`, `+`, `-`,
 *   `@`, a tab or a CR, which spreadsheets run as a formula.
 */

export type TranscriptRole = "Host" | "Staff" | "Patient" | "Guest";

export interface TranscriptParticipant {
  role: TranscriptRole;
  name: string;
}

export type TranscriptEntry =
  | { kind: "message"; time: number; role: TranscriptRole; name: string; text: string }
  /** e.g. "Alice joined the waiting room", "Text-only session started". */
  | { kind: "event"; time: number; text: string }
  /** A file sent in the chat: what identifies it, never its contents. */
  | { kind: "file"; time: number; role: TranscriptRole; name: string; fileName: string; size: number; sha256: string };

export interface TranscriptInput {
  room: string;
  /** Session id, or e.g. "waiting-room chat". */
  session: string;
  participants: TranscriptParticipant[];
  /** ms since epoch */
  start: number;
  end?: number;
  /** Already in sequence order. */
  entries: TranscriptEntry[];
  /**
   * Minutes east of UTC for a given instant; defaults to the browser's zone
   * (-new Date(ms).getTimezoneOffset()). Tests pass a fixed one.
   */
  utcOffsetMinutes?: (ms: number) => number;
}

export const CONSENT = "Downloading this chat implies permission from all participants.";

const TITLE = "queue-chat chat history";
const INDENT = "    ";
const REPLACEMENT = "\uFFFD";
const TAB_G = /\t/g;

/** CRLF, lone CR, LF, VT, FF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR. */
const LINE_BREAK = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/;
const LINE_BREAK_G = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/g;
/** C0 and C1 controls and DEL, except tab and the line breaks above. */
// eslint-disable-next-line no-control-regex
const CONTROL_G = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g;
/** Unpaired UTF-16 surrogates cannot be encoded as UTF-8. */
const LONE_SURROGATE_G = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Strong right-to-left letters: Hebrew, Arabic, Syriac, Thaana, NKo, etc., and their presentation forms. */
const STRONG_RTL =
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]|\ud802[\udc00-\udfff]|\ud803[\udc00-\udfff]|\ud83a[\udc00-\udfff]|\ud83b[\udc00-\udeff]/;
/** Explicit bidi formatting characters (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const FSI = "\u2068";
const PDI = "\u2069";

/** "2026-11-21T14:03:12-05:00": local wall time at that offset, seconds precision. */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
  const offset = Math.round(offsetMinutes) || 0; // no "-0"
  const local = new Date(Math.floor(ms / 1000) * 1000 + offset * 60000);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

export function formatTranscript(input: TranscriptInput): string {
  const offsetOf = input.utcOffsetMinutes ?? ((ms: number) => -new Date(ms).getTimezoneOffset());
  const at = (ms: number) => isoWithOffset(ms, offsetOf(ms));

  const lines: string[] = [
    TITLE,
    `Room: ${oneLine(input.room)}`,
    `Session: ${oneLine(input.session)}`,
    "Participants:",
  ];
  if (input.participants.length === 0) lines.push("  (none)");
  for (const p of input.participants) lines.push(`  ${p.role}: ${oneLine(p.name)}`);
  lines.push(`Started: ${at(input.start)}`);
  if (input.end !== undefined) lines.push(`Ended: ${at(input.end)}`);
  lines.push(`Consent: ${CONSENT}`, "");

  let messages = 0;
  let files = 0;
  if (input.entries.length === 0) lines.push("(no messages)");
  for (const entry of input.entries) {
    if (entry.kind === "file") {
      files++;
      lines.push(`${at(entry.time)} * File from [${entry.role}] ${isolateName(oneLine(entry.name))}: ${isolateName(oneLine(entry.fileName))} (${bytes(entry.size)}, SHA-256 ${oneLine(entry.sha256)})`);
      continue;
    }
    const [first, ...rest] = textLines(entry.text);
    if (entry.kind === "message") {
      messages++;
      lines.push(`${at(entry.time)} [${entry.role}] ${isolateName(oneLine(entry.name))}: ${first}`);
    } else {
      lines.push(`${at(entry.time)} * ${first}`);
    }
    for (const line of rest) lines.push(INDENT + line);
  }

  lines.push("", `Messages: ${messages}`);
  if (files > 0) lines.push(`Files: ${files}`);
  return lines.join("\n") + "\n";
}

/**
 * Bidi: the timestamp/role prefix always comes first in logical order, and its
 * "T" is the line's first strong character, so every message/event line is an
 * LTR paragraph and the prefix stays at the start. The one thing RTL content
 * could still do is merge a right-to-left name with right-to-left text into a
 * single run, showing "text :name" and swapping them visually. So a name with
 * strong RTL letters is wrapped in FSI…PDI (U+2068/U+2069), which makes it a
 * self-contained unit; we also wrap a name carrying explicit bidi controls, as
 * the PDI closes any embedding/override left open inside it. Pure-LTR names are
 * left untouched (no invisible characters where none are needed), and message
 * text never gets bidi marks added.
 */
function isolateName(name: string): string {
  return STRONG_RTL.test(name) || BIDI_CONTROL.test(name) ? FSI + name + PDI : name;
}

/** Message/event text: line breaks normalised and split, tabs widened, other controls replaced. */
function textLines(text: string): string[] {
  return clean(text).split(LINE_BREAK);
}

/** Names, room, session: a line break would forge a line, so it is replaced too. */
function oneLine(s: string): string {
  return clean(s).replace(LINE_BREAK_G, REPLACEMENT);
}

function clean(s: string): string {
  return s.replace(CONTROL_G, REPLACEMENT).replace(LONE_SURROGATE_G, REPLACEMENT).replace(TAB_G, INDENT);
}

/** "120,000,000 bytes": exact, grouped by thousands whatever the reader's locale. */
function bytes(n: number): string {
  return `${String(n).replace(/\B(?=(\d{3})+$)/g, ",")} ${n === 1 ? "byte" : "bytes"}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}
