import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cloudflare } from "@cloudflare/vite-plugin";
import { defineConfig, type Plugin } from "vite";

// Local runs keep nothing on disk. By default the Cloudflare plugin turns on
// two local tools that write while the server runs, under the runtime's
// temporary folder: tracing (a trace store of every request URL and every
// line the worker logs) and the local explorer (which records each Durable
// Object's name, our room id, in its storage so that it can list them, and
// serves that storage over HTTP). The plugin reads these switches when it
// starts the runtime.
process.env.X_LOCAL_OBSERVABILITY = "false";
process.env.X_LOCAL_EXPLORER = "false";

/**
 * `vite build` copies `.dev.vars` (the local SESSION_SECRET) into
 * dist/queue_chat/, where `vite preview` reads it. Rollup writes assets
 * readable by everyone; this one is written for its owner only.
 */
function privateDevVars(): Plugin {
  let secrets: string | Uint8Array | undefined;
  return {
    name: "queue-chat:private-dev-vars",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      const asset = bundle[".dev.vars"];
      if (asset?.type !== "asset") return;
      secrets = asset.source;
      delete bundle[".dev.vars"];
    },
    writeBundle(options) {
      if (secrets === undefined) return;
      const path = join(options.dir!, ".dev.vars");
      rmSync(path, { force: true });
      writeFileSync(path, secrets, { mode: 0o600 });
      secrets = undefined;
    },
  };
}

export default defineConfig({
  root: "client",
  // No Durable Object state or caches kept between runs (the runtime's scratch folder is removed on stop).
  plugins: [cloudflare({ configPath: "../wrangler.toml", persistState: false, inspectorPort: false }), privateDevVars()],
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "../dist", emptyOutDir: true, target: "es2022" },
  server: { port: Number(process.env.PORT ?? 8787), strictPort: true },
  preview: { port: Number(process.env.PORT ?? 8787), strictPort: true },
});
