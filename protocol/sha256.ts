/**
 * SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104) in plain TypeScript,
 * synchronous and incremental. Pages hash files of hundreds of megabytes
 * piece by piece as they send them (Web Crypto has no incremental digest),
 * and the room signs every message without leaving its synchronous code:
 * `Hmac` prepares the key once, so each signature costs a few compressions.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
/** Message schedule, reused: every computation is synchronous. */
const SCRATCH = new Int32Array(64);
const INIT = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** One SHA-256 computation: `update` as often as needed, then `digest` once. */
export class Sha256 {
  private readonly h = new Int32Array(INIT);
  private readonly block = new Uint8Array(64);
  private used = 0;
  private length = 0;

  /** A copy of this state, so a prepared prefix (an HMAC key) can be reused. */
  clone(): Sha256 {
    const copy = new Sha256();
    copy.h.set(this.h);
    copy.block.set(this.block);
    copy.used = this.used;
    copy.length = this.length;
    return copy;
  }

  update(data: Uint8Array): this {
    let i = 0;
    this.length += data.length;
    if (this.used > 0) {
      const take = Math.min(64 - this.used, data.length);
      this.block.set(data.subarray(0, take), this.used);
      this.used += take;
      i = take;
      if (this.used < 64) return this;
      compress(this.h, SCRATCH, this.block, 0);
      this.used = 0;
    }
    for (; i + 64 <= data.length; i += 64) compress(this.h, SCRATCH, data, i);
    if (i < data.length) {
      this.block.set(data.subarray(i), 0);
      this.used = data.length - i;
    }
    return this;
  }

  digest(): Uint8Array {
    const bits = this.length * 8;
    const pad = new Uint8Array((this.used < 56 ? 56 : 120) - this.used + 8);
    pad[0] = 0x80;
    const view = new DataView(pad.buffer);
    view.setUint32(pad.length - 8, Math.floor(bits / 2 ** 32));
    view.setUint32(pad.length - 4, bits >>> 0);
    this.update(pad);
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let j = 0; j < 8; j++) outView.setInt32(j * 4, this.h[j]);
    return out;
  }
}

/** One 64-byte block into the state `h` (`w` is scratch space). */
function compress(h: Int32Array, w: Int32Array, data: Uint8Array, at: number): void {
  for (let t = 0; t < 16; t++) {
    const j = at + t * 4;
    w[t] = (data[j] << 24) | (data[j + 1] << 16) | (data[j + 2] << 8) | data[j + 3];
  }
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15];
    const y = w[t - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
  }
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  let e = h[4];
  let f = h[5];
  let g = h[6];
  let k = h[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (k + S1 + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
  h[5] = (h[5] + f) | 0;
  h[6] = (h[6] + g) | 0;
  h[7] = (h[7] + k) | 0;
}

const encoder = new TextEncoder();

/** HMAC-SHA-256 under one key, prepared once. */
export class Hmac {
  private readonly inner: Sha256;
  private readonly outer: Sha256;
  /** The hash states after the padded key, for `signText`. */
  private readonly innerState = new Int32Array(8);
  private readonly outerState = new Int32Array(8);

  constructor(key: string | Uint8Array) {
    let k = typeof key === "string" ? encoder.encode(key) : key;
    if (k.length > 64) k = new Sha256().update(k).digest();
    const ipad = new Uint8Array(64).fill(0x36);
    const opad = new Uint8Array(64).fill(0x5c);
    for (let i = 0; i < k.length; i++) {
      ipad[i] ^= k[i];
      opad[i] ^= k[i];
    }
    this.inner = new Sha256().update(ipad);
    this.outer = new Sha256().update(opad);
    this.innerState.set(INIT);
    compress(this.innerState, SCRATCH, ipad, 0);
    this.outerState.set(INIT);
    compress(this.outerState, SCRATCH, opad, 0);
  }

  sign(data: string | Uint8Array): Uint8Array {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    const inner = this.inner.clone().update(bytes).digest();
    return this.outer.clone().update(inner).digest();
  }

  /**
   * The same signature as `toBase64Url(sign(text))`, for the room's hot
   * path: the text is encoded (UTF-8, as TextEncoder does) straight into a
   * block reused across calls, so signing allocates nothing but the
   * returned string.
   */
  signText(text: string): string {
    TEXT.state.set(this.innerState);
    TEXT.used = 0;
    let bytes = 64;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        put(c);
        bytes += 1;
      } else if (c < 0x800) {
        put(0xc0 | (c >> 6));
        put(0x80 | (c & 63));
        bytes += 2;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const d = text.charCodeAt(i + 1);
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          put(0xf0 | (cp >> 18));
          put(0x80 | ((cp >> 12) & 63));
          put(0x80 | ((cp >> 6) & 63));
          put(0x80 | (cp & 63));
          bytes += 4;
          i++;
        } else {
          // A lone surrogate: U+FFFD, as TextEncoder writes it.
          put(0xef);
          put(0xbf);
          put(0xbd);
          bytes += 3;
        }
      } else {
        put(0xe0 | (c >> 12));
        put(0x80 | ((c >> 6) & 63));
        put(0x80 | (c & 63));
        bytes += 3;
      }
    }
    finish(bytes);
    const digest = TEXT.digest;
    digest.set(TEXT.state);
    TEXT.state.set(this.outerState);
    TEXT.used = 0;
    for (let j = 0; j < 8; j++) putWord(digest[j]);
    finish(64 + 32);
    return stateToBase64Url(TEXT.state);
  }
}

/** Scratch for `Hmac.signText`: every computation is synchronous, so one is enough. */
const TEXT = { state: new Int32Array(8), digest: new Int32Array(8), block: new Uint8Array(64), used: 0 };

function put(byte: number): void {
  TEXT.block[TEXT.used++] = byte;
  if (TEXT.used === 64) {
    compress(TEXT.state, SCRATCH, TEXT.block, 0);
    TEXT.used = 0;
  }
}

function putWord(w: number): void {
  put(w >>> 24);
  put((w >>> 16) & 255);
  put((w >>> 8) & 255);
  put(w & 255);
}

/** SHA-256's padding and length, for `bytes` absorbed in all. */
function finish(bytes: number): void {
  put(0x80);
  while (TEXT.used !== 56) put(0);
  const bits = bytes * 8;
  putWord(Math.floor(bits / 2 ** 32));
  putWord(bits >>> 0);
}

/** base64url (no padding) of a 32-byte state, big-endian, without a byte array in between. */
function stateToBase64Url(h: Int32Array): string {
  let out = "";
  let acc = 0;
  let bits = 0;
  for (let j = 0; j < 8; j++) {
    const w = h[j];
    for (let shift = 24; shift >= 0; shift -= 8) {
      acc = ((acc << 8) | ((w >>> shift) & 255)) & 0xffffff;
      bits += 8;
      while (bits >= 6) {
        bits -= 6;
        out += B64[(acc >>> bits) & 63];
      }
    }
  }
  if (bits > 0) out += B64[(acc << (6 - bits)) & 63];
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX[b];
  return out;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * base64url without padding, for short values (ids, signatures). Written
 * as one flat string: built by `+=`, or by `btoa` and `replace`, a string
 * the room keeps would hold on to a longer one it was made from.
 */
export function toBase64Url(bytes: Uint8Array): string {
  const codes: number[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    codes.push(B64.charCodeAt(n >>> 18), B64.charCodeAt((n >>> 12) & 63));
    if (i + 1 < bytes.length) codes.push(B64.charCodeAt((n >>> 6) & 63));
    if (i + 2 < bytes.length) codes.push(B64.charCodeAt(n & 63));
  }
  return String.fromCharCode(...codes);
}
