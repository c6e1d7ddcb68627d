import { FILES, UPLOAD_CLOSE, type UploadRequest } from "../../../protocol/files";
import { Sha256, toHex } from "../../../protocol/sha256";
import { CLOSE } from "../../../protocol/wire";

/** An incremental SHA-256: the Durable Object gives node:crypto's, tests the plain one. */
export interface Hasher {
  update(bytes: Uint8Array): void;
  /** Lowercase hex. */
  digest(): string;
}

/** SHA-256 in plain TypeScript, for where node:crypto is not at hand (unit tests). */
export function plainHasher(): Hasher {
  const sha = new Sha256();
  return { update: (bytes) => void sha.update(bytes), digest: () => toHex(sha.digest()) };
}

/** The upload socket of one transfer, as the room sees it. */
export interface UploadPeer {
  send(data: string): void;
  close(code: number, reason: string): void;
}

/** Bytes the room holds of files right now, over every transfer. */
export interface Meter {
  add(bytes: number): void;
}

export interface TransferOptions {
  size: number;
  sha256: string;
  hash: Hasher;
  meter: Meter;
  /** Charges the sender's byte budget for one chunk; false when it is spent for now. */
  charge(bytes: number): boolean;
  /** Called once: every byte was read by the download, or it stopped (with why, in plain words). */
  ended(state: "saved" | "stopped", reason: string): void;
}

export type TransferPhase = "waiting" | "moving" | "saved" | "stopped";

/**
 * One recipient's download of one file: a byte stream that the download
 * reads, fed from the sender's upload socket. The room asks the sender's
 * page for a chunk only when one has been passed on, so it never holds more
 * than `FILES.window` chunks of it, whatever the file's size, and a download
 * that is read slowly slows the sender down (the stream's pull is the only
 * thing that asks for more). Each chunk is hashed on its way; if the bytes do
 * not match the SHA-256 that was offered, the download fails instead of
 * ending with the last chunk.
 */
export class Transfer {
  readonly size: number;
  readonly stream: ReadableStream<Uint8Array>;
  phase: TransferPhase = "waiting";
  /** Bytes received from the sender, and bytes passed on to the download. */
  received = 0;
  delivered = 0;
  private asked = 0;
  private readonly queue: Uint8Array<ArrayBuffer>[] = [];
  private upload?: UploadPeer;
  private controller?: ReadableByteStreamController;
  private cancelled = false;
  private wake?: () => void;
  private readonly opts: TransferOptions;

  constructor(opts: TransferOptions) {
    this.opts = opts;
    this.size = opts.size;
    this.stream = new ReadableStream(
      {
        type: "bytes",
        start: (controller) => void (this.controller = controller),
        pull: (controller) => this.pull(controller),
        cancel: () => {
          this.cancelled = true;
          this.stop("The download was cancelled.");
        },
      },
      { highWaterMark: 0 },
    );
  }

  get ended(): boolean {
    return this.phase === "saved" || this.phase === "stopped";
  }

  /** The sender's page opened the upload socket: chunks are asked for from now on. */
  attach(upload: UploadPeer): boolean {
    if (this.phase !== "waiting") return false;
    this.upload = upload;
    this.phase = "moving";
    this.topUp();
    return true;
  }

  /**
   * A frame from the upload socket. Only a binary chunk that was asked for,
   * of exactly the expected length, is taken; anything else closes the
   * socket and stops the transfer before it is looked at further.
   */
  receive(data: unknown): void {
    if (this.phase !== "moving") return;
    if (!(data instanceof ArrayBuffer)) return this.refuse(CLOSE.policy);
    if (data.byteLength > FILES.chunkBytes) return this.refuse(CLOSE.tooBig);
    if (this.asked === 0 || data.byteLength !== Math.min(FILES.chunkBytes, this.size - this.received)) return this.refuse(CLOSE.policy);
    this.asked--;
    const chunk = new Uint8Array(data);
    this.received += chunk.byteLength;
    this.opts.hash.update(chunk);
    if (this.received === this.size && this.opts.hash.digest() !== this.opts.sha256) {
      return this.stop("The file changed on the sender's device while it was being sent.");
    }
    this.queue.push(chunk);
    this.opts.meter.add(chunk.byteLength);
    this.wake?.();
  }

  /** The upload socket closed: fine once everything was received, otherwise the sender stopped. */
  uploadClosed(code?: number): void {
    if (this.received === this.size) return;
    this.stop(code === UPLOAD_CLOSE.unreadable ? "The file could not be read on the sender's device any more." : "The sender's page stopped sending.");
  }

  /** Asks for more chunks while the window and the sender's byte budget allow. */
  topUp(): void {
    if (this.phase !== "moving" || !this.upload) return;
    let n = 0;
    while (this.asked + this.queue.length < FILES.window) {
      const next = this.size - this.received - this.asked * FILES.chunkBytes;
      if (next <= 0 || !this.opts.charge(Math.min(FILES.chunkBytes, next))) break;
      this.asked++;
      n++;
    }
    if (n > 0) this.upload.send(JSON.stringify({ type: "more", n } satisfies UploadRequest));
  }

  /** Stops the transfer: the download fails (it never ends short), the upload socket closes. */
  stop(reason: string, code: number = UPLOAD_CLOSE.stopped): void {
    if (this.ended) return;
    this.phase = "stopped";
    this.drain();
    // Ended short of its length, the download fails (the worker gives it a fixed
    // length); an error would surface as an uncaught rejection in the runtime's log.
    if (!this.cancelled) {
      try {
        this.controller?.close();
      } catch {
        // The download is gone already.
      }
    }
    this.upload?.close(code, "stopped");
    this.wake?.();
    this.opts.ended("stopped", reason);
  }

  private refuse(code: number): void {
    this.stop("The sender's page sent something the room did not ask for.", code);
  }

  private drain(): void {
    let bytes = 0;
    for (const chunk of this.queue.splice(0)) bytes += chunk.byteLength;
    this.opts.meter.add(-bytes);
  }

  /**
   * The download wants more: the next chunk, once it is here. After the last
   * one, the next pull means the download has taken every byte.
   */
  private async pull(controller: ReadableByteStreamController): Promise<void> {
    while (this.queue.length === 0) {
      if (this.ended) return;
      if (this.delivered === this.size) return this.finish(controller);
      this.topUp();
      // A page may answer at once (the chunk is here already), or the transfer may have stopped.
      if (this.queue.length > 0 || this.ended) continue;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    const chunk = this.queue.shift()!;
    this.opts.meter.add(-chunk.byteLength);
    this.delivered += chunk.byteLength;
    controller.enqueue(chunk);
    this.topUp();
  }

  private finish(controller: ReadableByteStreamController): void {
    this.phase = "saved";
    controller.close();
    this.upload?.close(CLOSE.normal, "sent");
    this.opts.ended("saved", "");
  }
}
