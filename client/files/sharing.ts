import { FILES, UPLOAD_CLOSE, cleanFileName, formatBytes, type UploadRequest } from "../../protocol/files";
import { newClientId } from "../lib/ids";
import type { Conversation } from "../room/conversation";
import type { RoomFiles, SharedFile } from "../room/files";

/** What a chat log's file lines can do. */
export interface FileActions {
  download(file: SharedFile): void;
  cancel(file: SharedFile): void;
}

export interface FileSharingOptions {
  room: string;
  /** Staff pages name their sign-in on every request (`?as=staff`). */
  asStaff: boolean;
  /** The page's room client now (the patient's page starts a new one when it checks in again). */
  client(): { files: Pick<RoomFiles, "attach" | "offer" | "cancel"> };
}

/** Pieces the page reads a file in, to hash it without holding it whole. */
const HASH_PIECE = 2 * 1024 * 1024;

/** Why a file cannot be offered at all, in plain words, or null. */
export function sizeProblem(size: number): string | null {
  if (size === 0) return "This file is empty.";
  if (size > FILES.maxBytes) return `Files can be at most ${formatBytes(FILES.maxBytes)}, and this one is ${formatBytes(size)}.`;
  return null;
}

/**
 * Files on a page: the sender's page hashes a file it attaches, offers it,
 * and keeps it (the browser's handle on the file on disk, not its bytes)
 * while it is on offer; when the room asks, it sends it chunk by chunk over
 * an upload socket of that transfer's own. A recipient's download is the
 * browser's own, saved straight to disk, never read into the page.
 */
export function createFileSharing({ room, asStaff, client }: FileSharingOptions) {
  /** Our own files while they are on offer, by client id. */
  const held = new Map<string, File>();
  const sockets = new Set<WebSocket>();
  const as = asStaff ? "?as=staff" : "";
  const staffParam = asStaff ? "&as=staff" : "";

  async function attachOne(conv: Conversation, picked: File): Promise<void> {
    const files = client().files;
    const file = files.attach(conv, cleanFileName(picked.name), picked.size, Date.now());
    const problem = sizeProblem(picked.size);
    // Refused before a byte is read, let alone sent.
    if (problem) return file.gone(problem);
    held.set(file.cid, picked);
    let sha256: string;
    try {
      sha256 = await hash(picked, file);
    } catch {
      held.delete(file.cid);
      return file.gone("This file could not be read.");
    }
    if (file.state.value !== "preparing") return void held.delete(file.cid);
    files.offer(file, sha256);
  }

  /** SHA-256 of the file, read piece by piece; the page stays responsive meanwhile. */
  async function hash(picked: File, file: SharedFile): Promise<string> {
    // Loaded when a file is first attached: a page that only receives files never needs it.
    const { Sha256, toHex } = await import("../../protocol/sha256");
    const started = performance.now();
    const sha = new Sha256();
    let hashing = 0;
    for (let at = 0; at < picked.size && file.state.value === "preparing"; at += HASH_PIECE) {
      const piece = new Uint8Array(await picked.slice(at, at + HASH_PIECE).arrayBuffer());
      const before = performance.now();
      sha.update(piece);
      hashing += performance.now() - before;
      file.prepared.value = Math.min(1, (at + HASH_PIECE) / picked.size);
    }
    // For measurements (the browser tests read it): sizes and times only.
    performance.measure("queue-chat:sha256", { start: started, end: performance.now(), detail: { bytes: picked.size, hashingMs: hashing } });
    return toHex(sha.digest());
  }

  /** The room asks for file `file` on transfer `t`: each chunk is read from disk only when it is asked for. */
  function upload(file: SharedFile, t: string): void {
    const picked = held.get(file.cid);
    if (!picked) return;
    const ws = new WebSocket(new URL(`/api/rooms/${room}/uploads/${encodeURIComponent(t)}${as}`, location.href).href.replace(/^http/, "ws"));
    ws.binaryType = "arraybuffer";
    sockets.add(ws);
    let at = 0;
    let asked = 0;
    let reading = false;
    const pump = async () => {
      if (reading) return;
      reading = true;
      try {
        while (asked > 0 && at < picked.size && ws.readyState === WebSocket.OPEN) {
          const end = Math.min(at + FILES.chunkBytes, picked.size);
          ws.send(await picked.slice(at, end).arrayBuffer());
          at = end;
          asked--;
        }
      } catch {
        ws.close(UPLOAD_CLOSE.unreadable, "unreadable");
      } finally {
        reading = false;
      }
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      const request = JSON.parse(event.data) as UploadRequest;
      if (request.type !== "more") return;
      asked += request.n;
      void pump();
    };
    ws.onclose = () => sockets.delete(ws);
  }

  return {
    upload,
    /** Offers each file in `conv` (from the file input or a drop). */
    attach(conv: Conversation, picked: Iterable<File>): void {
      for (const file of picked) void attachOne(conv, file);
    },
    actions: {
      download(file: SharedFile): void {
        const a = document.createElement("a");
        // A fresh link per click: a browser that retries an interrupted download by itself is refused, so a cancel stays a cancel.
        a.href = `/api/rooms/${room}/files/${encodeURIComponent(file.id.value)}?link=${newClientId()}${staffParam}`;
        a.download = file.info.name;
        document.body.append(a);
        a.click();
        a.remove();
      },
      cancel(file: SharedFile): void {
        if (file.state.value === "preparing") file.gone("You cancelled it.");
        else client().files.cancel(file);
        if (file.state.value === "gone") held.delete(file.cid);
      },
    } satisfies FileActions,
    dispose(): void {
      for (const ws of sockets) ws.close(1000, "page closed");
      held.clear();
    },
  };
}

export type FileSharing = ReturnType<typeof createFileSharing>;
