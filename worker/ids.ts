const URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** A fresh random id with 128 bits of entropy, URL-safe (unpadded base64url). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // Written out rather than btoa + replace: that leaves each id a slice of a
  // longer string, which costs twice the memory of the id for as long as it is kept.
  const codes: number[] = [];
  for (let i = 0; i < 16; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    codes.push(URL_SAFE.charCodeAt(n >> 18), URL_SAFE.charCodeAt((n >> 12) & 63));
    if (i + 1 < 16) codes.push(URL_SAFE.charCodeAt((n >> 6) & 63));
    if (i + 2 < 16) codes.push(URL_SAFE.charCodeAt(n & 63));
  }
  return String.fromCharCode(...codes);
}
