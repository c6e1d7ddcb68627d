// The one Node API the worker uses (workerd provides it with nodejs_compat),
// declared here so the worker is typed against workerd, not all of Node.
declare module "node:crypto" {
  interface Hmac {
    update(data: string): Hmac;
    digest(encoding: "base64url"): string;
  }
  export function createHmac(algorithm: "sha256", key: string): Hmac;
}
