// The Node APIs the worker uses (workerd provides them with nodejs_compat),
// declared here so the worker is typed against workerd, not all of Node.
declare module "node:crypto" {
  /** Files passing through a room are hashed as they go (the relay checks the SHA-256 that was offered). */
  interface Hash {
    update(data: Uint8Array): Hash;
    digest(encoding: "hex"): string;
  }
  export function createHash(algorithm: "sha256"): Hash;
}
