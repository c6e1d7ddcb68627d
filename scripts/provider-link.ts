/**
 * npm run --silent provider-link -- <room> "<Provider name>" [--role host|staff] [--days N]
 *
 * Prints exactly one line: the provider's private dashboard URL for the room,
 * `${BASE_URL}/provider#k=<token>`. BASE_URL is PUBLIC_URL if set, else
 * http://localhost:${PORT ?? 8787}. The secret comes from SESSION_SECRET, else
 * from .dev.vars (which `npm start` creates).
 */
import { parseArgs } from "node:util";
import { DEFAULT_DAYS, UsageError, baseUrlFromEnv, providerLink, validateRole } from "./lib/provider-link.ts";
import { readSecret } from "./lib/secret.ts";

const USAGE = `Usage: npm run --silent provider-link -- <room> "<Provider name>" [--role host|staff] [--days N]

  room   lowercase letters, digits and hyphens, e.g. demo
  name   the staff member's display name, 1-60 characters
  --role host (a provider with a host licence: starts and schedules sessions,
         creates groups; the default) or staff (front desk, scheduler)
  --days how long the link stays valid (default ${DEFAULT_DAYS})

Environment: SESSION_SECRET (else read from .dev.vars), PUBLIC_URL (else http://localhost:\${PORT:-8787}).`;

function fail(message: string, showUsage = false): never {
  process.stderr.write(`provider-link: ${message}\n${showUsage ? `\n${USAGE}\n` : ""}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      strict: true,
      options: { days: { type: "string" }, role: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (err) {
    fail((err as Error).message, true);
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [room, name, ...extra] = parsed.positionals;
  if (room === undefined || name === undefined) fail("expected a room and a provider name.", true);
  if (extra.length > 0) fail(`unexpected argument(s): ${extra.join(" ")} (quote a name that has spaces).`, true);

  let days: number | undefined;
  if (parsed.values.days !== undefined) {
    const raw = parsed.values.days.trim();
    days = raw === "" ? NaN : Number(raw);
    if (!(days > 0) || !Number.isFinite(days)) fail(`--days must be a positive number of days, got "${parsed.values.days}".`);
  }

  const found = readSecret();
  if (!found) {
    fail(
      "no SESSION_SECRET. Run `npm start` once (it creates .dev.vars with a local secret), " +
        "or set SESSION_SECRET to the secret of the deployed Worker.",
    );
  }

  try {
    const role = parsed.values.role === undefined ? "host" : validateRole(parsed.values.role);
    const link = await providerLink({ secret: found.secret, room, name, days, role, baseUrl: baseUrlFromEnv() });
    process.stdout.write(`${link}\n`);
  } catch (err) {
    if (err instanceof UsageError) fail(err.message);
    throw err;
  }
}

await main();
