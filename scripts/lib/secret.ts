/**
 * SESSION_SECRET for local runs and for signing provider links.
 *
 * The local server (workerd, started by Vite's Cloudflare plugin) reads its
 * secrets from `.dev.vars` beside wrangler.toml; that file is git-ignored.
 * Scripts that only sign links also accept the SESSION_SECRET environment
 * variable, so an admin can mint links for a deployed Worker without a file.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEV_VARS_PATH = join(REPO_ROOT, ".dev.vars");
export const SECRET_KEY = "SESSION_SECRET";

export type SecretSource = "env" | ".dev.vars";

export interface FoundSecret {
  secret: string;
  source: SecretSource;
}

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/** Parses the dotenv subset that `.dev.vars` files use (one KEY=value a line). */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = LINE.exec(line);
    if (!m) continue;
    out[m[1]!] = unquote(m[2]!);
  }
  return out;
}

function unquote(raw: string): string {
  const value = raw.trim();
  const q = value[0];
  if (q === '"' || q === "'" || q === "`") {
    const end = value.indexOf(q, 1);
    if (end > 0) {
      const inner = value.slice(1, end);
      return q === '"' ? inner.replace(/\\n/g, "\n").replace(/\\r/g, "\r") : inner;
    }
  }
  // Unquoted: an inline comment starts at " #".
  const hash = value.search(/\s#/);
  return (hash >= 0 ? value.slice(0, hash) : value).trim();
}

/** The SESSION_SECRET in `.dev.vars`, or null when the file or the key is missing/empty. */
export function readDevVarsSecret(path: string = DEV_VARS_PATH): string | null {
  if (!existsSync(path)) return null;
  const value = parseDotenv(readFileSync(path, "utf8"))[SECRET_KEY];
  return value ? value : null;
}

/** SESSION_SECRET from the environment, else from `.dev.vars`; null if neither has one. */
export function readSecret(env: NodeJS.ProcessEnv = process.env, path: string = DEV_VARS_PATH): FoundSecret | null {
  const fromEnv = env[SECRET_KEY];
  if (fromEnv) return { secret: fromEnv, source: "env" };
  const fromFile = readDevVarsSecret(path);
  return fromFile ? { secret: fromFile, source: ".dev.vars" } : null;
}

/** 32 random bytes, base64url without padding. */
export function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Makes sure `.dev.vars` holds a SESSION_SECRET and returns it (the secret the
 * local server will use). Creates the file with a random secret if missing; if
 * the file exists without the key (or with an empty value), adds the key and
 * keeps every other line as it was.
 */
export function ensureDevSecret(path: string = DEV_VARS_PATH): { secret: string; created: boolean } {
  const existing = readDevVarsSecret(path);
  if (existing) return { secret: existing, created: false };

  const secret = randomSecret();
  const entry = `${SECRET_KEY}=${secret}`;
  let text: string;
  if (existsSync(path)) {
    const kept = readFileSync(path, "utf8")
      .split(/\r?\n/)
      .filter((line) => LINE.exec(line)?.[1] !== SECRET_KEY);
    while (kept.length > 0 && kept[kept.length - 1] === "") kept.pop();
    text = [...kept, entry, ""].join("\n");
  } else {
    text = `# Local secrets for \`npm start\` / wrangler dev. Never commit this file.\n${entry}\n`;
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
  return { secret, created: true };
}
