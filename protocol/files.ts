/**
 * Files in a chat: what pages and the room say about them. A file goes from
 * the sender's page to each recipient's page through the room and exists
 * nowhere else: the sender's page offers it (name, size, SHA-256), and when a
 * recipient downloads it the room asks the sender's page, over an upload
 * socket of that transfer's own, for one bounded chunk at a time and passes
 * each on to the download as it is read.
 *
 * wire.ts adds these frames to its unions; this module imports only types
 * from it, so the two can load in either order.
 */
import * as v from "valibot";
import type { Role } from "./wire.ts";

export const FILES = {
  /** The largest file, in bytes (200 MB, as people count megabytes: 10^6 bytes). */
  maxBytes: 200_000_000,
  /** What one person may send in any 24 hours (1 GB), counting every recipient's copy. */
  dayBytes: 1_000_000_000,
  /** One chunk on an upload socket: far below any runtime's WebSocket message limit (1 MiB in older local runtimes). */
  chunkBytes: 256 * 1024,
  /** Chunks asked for and not yet passed on, per transfer: what the room holds of a file at most. */
  window: 8,
  nameChars: 200,
} as const;

/** Close codes of an upload socket besides 1000 (all sent) and 1008/1009 (not asked for, too big). */
export const UPLOAD_CLOSE = {
  /** The transfer was stopped (cancelled, the recipient went away, the offer was withdrawn). */
  stopped: 4010,
  /** The sender's page could not read its file any more. */
  unreadable: 4011,
} as const;

/** What the room sends on an upload socket: "send `n` more chunks". */
export interface UploadRequest {
  type: "more";
  n: number;
}

/** A file as its sender's page describes it. */
export interface FileInfo {
  name: string;
  size: number;
  /** Lowercase hex. */
  sha256: string;
}

/** A file on offer in a conversation, as the room announces it. */
export interface FileOffer {
  c: string;
  /** The offer: downloads name it. A page that offers again after a blip gets a new one. */
  id: string;
  /** The sender page's id for it: the same when it offers again. */
  cid: string;
  /** Where it stands among the conversation's messages. */
  seq: number;
  by: string;
  name: string;
  role: Role;
  time: number;
  file: FileInfo;
}

export type TransferState = "moving" | "saved" | "stopped";

/** One recipient's download of an offer, as its sender's and its recipient's pages see it. */
export interface TransferUpdate {
  c: string;
  id: string;
  t: string;
  to: { id: string; name: string };
  sent: number;
  state: TransferState;
  /** Why it stopped, in plain words. */
  reason?: string;
}

export type FileServerMessage =
  | ({ type: "file" } & FileOffer)
  /** On every welcome: the offers this page may see now; any other it holds is gone. */
  | { type: "files"; offers: FileOffer[] }
  | { type: "file_gone"; c: string; id: string; reason: string }
  /** To the sender's pages: recipients who are not connected, for whom the offer waits. */
  | { type: "file_waiting"; c: string; id: string; names: string[] }
  /** To the offering page: open an upload socket for transfer `t`. */
  | { type: "upload"; id: string; t: string }
  | ({ type: "transfer" } & TransferUpdate);

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\\/:*?"<>|]/gu;
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/**
 * A file name that is safe to show and to save: no control, invisible or
 * text-direction characters (an override could make `invoice‮fdp.exe` read
 * as a PDF), no path separators or characters Windows refuses, no leading
 * dots, at most `FILES.nameChars` characters with the extension kept.
 */
export function cleanFileName(raw: string): string {
  let name = raw.normalize("NFC").replace(UNSAFE, "_").replace(/\s+/g, " ").trim().replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  if (RESERVED.test(name)) name = `_${name}`;
  const chars = [...name];
  if (chars.length > FILES.nameChars) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
    name = chars.slice(0, FILES.nameChars - [...ext].length).join("") + ext;
  }
  return name || "file";
}

/** "120 MB", "1.5 MB", "640 KB", "12 bytes": decimal units, as people read file sizes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return bytes === 1 ? "1 byte" : `${bytes} bytes`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 9.95 ? Math.round(value * 10) / 10 : Math.round(value)} ${units[unit]}`;
}

/**
 * `Content-Disposition` for a download: always an attachment, with an ASCII
 * fallback and the UTF-8 name (RFC 6266, RFC 8187).
 */
export function attachmentHeader(name: string): string {
  const clean = cleanFileName(name);
  const ascii = clean.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%]/g, "_");
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const FileName = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(FILES.nameChars * 2),
  v.check((name) => cleanFileName(name) === name),
);

// The frames a page sends about files; wire.ts lists them in `ClientMessage`.

/** Offers a file in a conversation; the room checks the size and the sender's day. */
export const FileOfferFrame = v.strictObject({
  type: v.literal("file_offer"),
  c: Id,
  cid: Id,
  file: v.strictObject({
    name: FileName,
    size: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
    sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  }),
});

/** The sender withdraws an offer (every transfer of it stops); a recipient stops their own download of it. */
export const FileCancelFrame = v.strictObject({ type: v.literal("file_cancel"), id: Id });
