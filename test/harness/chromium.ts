/**
 * The Chromium that the browser tests, the screenshots and the benchmarks
 * drive. Playwright cannot download a browser of its own here, so it uses
 * the system's: CHROMIUM=/path/to/chromium if set, else Debian's or Ubuntu's.
 * Run directly, it checks that one is there, and otherwise says in one line
 * how to get one and exits 1:
 *   node test/harness/chromium.ts
 */
import { existsSync } from "node:fs";

const SYSTEM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Flags for a headless run that stays on this machine (no sync, updates or background requests). */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** The Chromium executable to use, or undefined if there is none (see `missingChromium`). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.CHROMIUM;
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  return SYSTEM_PATHS.find((p) => existsSync(p));
}

/** One line that says why no Chromium was found and how to get one. */
export function missingChromium(neededFor = "the browser tests", env: NodeJS.ProcessEnv = process.env): string {
  const why = env.CHROMIUM ? `CHROMIUM=${env.CHROMIUM} does not exist` : `there is none at ${SYSTEM_PATHS.join(" or ")}`;
  return `Chromium is needed for ${neededFor}, but ${why}: install it (sudo apt-get install chromium) or point to one with CHROMIUM=/path/to/chromium.`;
}

if (import.meta.url === `file://${process.argv[1]}` && !findChromium()) {
  process.stderr.write(`${missingChromium()}\n`);
  process.exit(1);
}
