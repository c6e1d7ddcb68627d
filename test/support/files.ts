/**
 * Files for tests of the plain `Room`: offers from a `Client`, the upload
 * socket a sender's page opens when asked, and a recipient's download read
 * (or not) chunk by chunk.
 */
import { createHash } from "node:crypto";
import { FILES, type FileOffer, type UploadRequest } from "../../protocol/files";
import type { DownloadResult } from "../../worker/room/files/files";
import type { Transfer, UploadPeer } from "../../worker/room/files/relay";
import type { Hasher } from "../../worker/room/files/relay";
import type { Room, RoomOptions } from "../../worker/room/room";
import type { Client } from "./fakes";

/** Node's SHA-256 for the relay, as the Durable Object gives it workerd's: file tests move tens of megabytes. */
function nodeHasher(): Hasher {
  const hash = createHash("sha256");
  return { update: (bytes) => void hash.update(bytes), digest: () => hash.digest("hex") };
}

/** Room options for file tests. */
export const FILE_ROOM: Partial<RoomOptions> = { hash: nodeHasher };

export interface TestFile {
  name: string;
  size: number;
  sha256: string;
  bytes?: Uint8Array;
}

/** `size` bytes in 4 KiB blocks, each marked with its number (so bytes out of order change the hash), and their SHA-256. */
export function testFile(size: number, name = "scan-results.pdf"): Required<TestFile> {
  const bytes = new Uint8Array(size);
  const block = new Uint8Array(4096).map((_, i) => (i * 7) & 255);
  for (let at = 0, n = 0; at < size; at += block.length, n++) {
    bytes.set(block.subarray(0, Math.min(block.length, size - at)), at);
    bytes[at] = n & 255;
    if (at + 1 < size) bytes[at + 1] = (n >> 8) & 255;
  }
  return { name, size, bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** A file as big as `size` for offers that never move (limits): its SHA-256 is made up. */
export const declared = (size: number, name = "scan-results.pdf"): TestFile => ({ name, size, sha256: "ab".repeat(32) });

/** Offers `file` in conversation `c` from `page`; the room's announcement, if it made one. */
export function offer(page: Client, c: string, file: TestFile, cid = "f1"): FileOffer | undefined {
  page.send({ type: "file_offer", c, cid, file: { name: file.name, size: file.size, sha256: file.sha256 } });
  return page.of("file").find((f) => f.cid === cid);
}

/** The upload socket of one transfer, as the sender's page holds it: what the room asked for and how it closed it. */
export class FakeUpload implements UploadPeer {
  asked = 0;
  sent = 0;
  closedWith?: { code: number; reason: string };
  paused = false;
  private transfer?: Transfer;
  private bytes?: Uint8Array;

  send(data: string): void {
    this.asked += (JSON.parse(data) as UploadRequest).n;
    this.pump();
  }

  close(code: number, reason: string): void {
    this.closedWith ??= { code, reason };
  }

  /** Opens it for `transfer`, sending `bytes` as the room asks (unless paused). */
  open(transfer: Transfer, bytes: Uint8Array): this {
    this.transfer = transfer;
    this.bytes = bytes;
    transfer.attach(this);
    return this;
  }

  pump(): void {
    while (!this.paused && this.transfer && this.bytes && this.sent < this.asked && !this.closedWith) {
      const at = this.sent++ * FILES.chunkBytes;
      this.transfer.receive(this.bytes.slice(at, at + FILES.chunkBytes).buffer);
    }
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** The sender's page closes it (or its connection drops), as the Durable Object reports it to the relay. */
  hangUp(code = 1001): void {
    this.closedWith ??= { code, reason: "page closed" };
    this.transfer?.uploadClosed(code);
  }
}

/** The transfer the room asked `sender` to upload (its latest), opened with `bytes`. */
export function answerUpload(room: Room, sender: Client, bytes: Uint8Array, opts: { paused?: boolean } = {}): FakeUpload {
  const ask = sender.last("upload");
  if (!ask) throw new Error("the room asked for no upload");
  const transfer = room.uploadFor(sender.identity, ask.t);
  if (!transfer) throw new Error("no transfer waits for that upload");
  const upload = new FakeUpload();
  upload.paused = opts.paused === true;
  return upload.open(transfer, bytes);
}

/** Reads a download to its end (or its failure); the bytes read, and whether it ended whole. */
export async function readAll(result: DownloadResult): Promise<{ bytes: Uint8Array; ok: boolean }> {
  if (!result.ok) throw new Error(`download refused: ${result.error}`);
  const chunks: Uint8Array[] = [];
  let read = 0;
  const reader = result.stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    read += value.byteLength;
  }
  const bytes = new Uint8Array(read);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes, ok: read === result.size };
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
