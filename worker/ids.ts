import { toBase64Url } from "../protocol/sha256";

/** A fresh random id with 128 bits of entropy, URL-safe (unpadded base64url, one flat string). */
export function randomId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}
