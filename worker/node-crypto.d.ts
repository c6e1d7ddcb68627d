// The Node APIs the worker uses (workerd provides them with nodejs_compat),
// declared here so the worker is typed against workerd, not all of Node.
declare module "node:crypto" {
  interface Hmac {
    update(data: string): Hmac;
    digest(encoding: "base64url"): string;
  }
  export function createHmac(algorithm: "sha256", key: string): Hmac;
  /** Files passing through a room are hashed as they go (the relay checks the SHA-256 that was offered). */
  interface Hash {
    update(data: Uint8Array): Hash;
    digest(encoding: "hex"): string;
  }
  export function createHash(algorithm: "sha256"): Hash;
}
