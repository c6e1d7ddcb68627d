/**
 * The file side of a browser page, for worker tests: a file made by the
 * test, its offer, the upload socket a sender's page opens when the room asks
 * for chunks, and a recipient's download. Every wait has a timeout.
 */
import { expect } from "vitest";
import { FILES, type FileOffer, type UploadRequest } from "../../protocol/files";
import { api, ORIGIN, type Socket } from "./helpers";

export interface TestFile {
  name: string;
  bytes: Uint8Array;
  sha256: string;
}

/** `size` bytes that differ from chunk to chunk (so a chunk out of order changes the hash), with their SHA-256. */
export async function testFile(size: number, name = "scan-results.pdf", seed = 7): Promise<TestFile> {
  const bytes = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x;
    bytes[i + 1] = x >>> 8;
    bytes[i + 2] = x >>> 16;
    bytes[i + 3] = x >>> 24;
  }
  return { name, bytes, sha256: await sha256(bytes) };
}

export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Offers `file` in conversation `c` from `page` and waits for the room's announcement of it. */
export async function offer(page: Socket, c: string, file: TestFile, cid = "f1"): Promise<FileOffer> {
  page.send({ type: "file_offer", c, cid, file: { name: file.name, size: file.bytes.length, sha256: file.sha256 } });
  return page.waitForType("file", (m) => m.cid === cid);
}

const asQuery = (as?: "staff") => (as ? `?as=${as}` : "");

/** A recipient's download (a click makes a fresh `link`): the HTTP response, whose body is read (or not) by the test. */
export function download(room: string, cookie: string, id: string, as?: "staff", link: string = crypto.randomUUID()): Promise<Response> {
  return api(`/api/rooms/${room}/files/${id}?link=${link}${as ? `&as=${as}` : ""}`, { headers: { Cookie: cookie } });
}

/** Reads a whole body, with a timeout. */
export async function readAll(res: Response, timeoutMs = 10_000): Promise<Uint8Array> {
  let timer = 0;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`body not read within ${timeoutMs} ms`)), timeoutMs)));
  try {
    return await Promise.race([res.bytes(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The upload socket of one transfer, as the sender's page holds it: it sends
 * the next chunks of `bytes` whenever the room asks, unless paused.
 */
export class Upload {
  /** Chunks the room asked for, and chunks sent. */
  asked = 0;
  sent = 0;
  paused = false;
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly ws: WebSocket;
  private readonly bytes: Uint8Array;
  private readonly waiters = new Set<() => void>();

  constructor(ws: WebSocket, bytes: Uint8Array) {
    this.ws = ws;
    this.bytes = bytes;
    ws.accept();
    ws.addEventListener("message", (event) => {
      this.asked += (JSON.parse(event.data as string) as UploadRequest).n;
      this.pump();
      for (const wake of [...this.waiters]) wake();
    });
    this.closed = new Promise((resolve) => ws.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason })));
  }

  pump(): void {
    while (!this.paused && this.sent < this.asked) {
      const at = this.sent * FILES.chunkBytes;
      this.sendRaw(this.bytes.slice(at, at + FILES.chunkBytes));
      this.sent++;
    }
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  sendRaw(data: string | ArrayBuffer | ArrayBufferView): void {
    try {
      this.ws.send(data);
    } catch {
      // The room closed it.
    }
  }

  close(code = 1000, reason = "page closed"): void {
    try {
      this.ws.close(code, reason);
    } catch {
      // already closed
    }
  }

  /** Resolves once the room has asked for at least `n` chunks in all. */
  waitForAsked(n: number, timeoutMs = 3_000): Promise<void> {
    if (this.asked >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.asked < n) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => (done(), reject(new Error(`${this.asked} of ${n} chunks asked within ${timeoutMs} ms`))), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  async waitForClose(timeoutMs = 3_000): Promise<{ code: number; reason: string }> {
    let timer = 0;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`upload socket not closed within ${timeoutMs} ms`)), timeoutMs)));
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Asks for the upload socket of transfer `t`; returns the response (which may be a refusal). */
export function upgradeUpload(room: string, cookie: string, t: string, opts: { as?: "staff"; origin?: string } = {}): Promise<Response> {
  return api(`/api/rooms/${room}/uploads/${t}${asQuery(opts.as)}`, { headers: { Upgrade: "websocket", Origin: opts.origin ?? ORIGIN, Cookie: cookie } });
}

/** What a sender's page does when the room asks it to send: opens the upload socket for the transfer it names. */
export async function answerUpload(room: string, sender: Socket, cookie: string, file: TestFile, opts: { as?: "staff"; paused?: boolean; from?: number } = {}): Promise<Upload> {
  const { t } = await sender.waitForType("upload", () => true, { from: opts.from ?? 0 });
  const res = await upgradeUpload(room, cookie, t, opts);
  expect(res.status).toBe(101);
  const upload = new Upload(res.webSocket!, file.bytes);
  upload.paused = opts.paused === true;
  return upload;
}
