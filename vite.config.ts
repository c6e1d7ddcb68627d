import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

/**
 * What every page's <head> holds besides its title, written once: each
 * client/<page>.html carries only its title and body. Added before Vite reads
 * the page, so the stylesheet is bundled and hashed like a written link.
 */
function sharedHead(): Plugin {
  return {
    name: "queue-chat:shared-head",
    transformIndexHtml: {
      order: "pre",
      handler: (html) =>
        html.replace(
          "<head>",
          `<head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/styles.css" />`,
        ),
    },
  };
}

/**
 * Vite wraps each dynamic `import()` in a helper that first preloads the
 * imported chunk's CSS and static imports (about 1.2 kB gzipped on every
 * page). Our lazy chunks carry no CSS (one stylesheet serves every page)
 * and their static imports are chunks the page has already loaded, so the
 * helper here only runs the import.
 */
const PRELOAD_HELPER = "\0vite/preload-helper.js";
const PLAIN_PRELOAD = "export const __vitePreload = (load) => load();";
function plainDynamicImports(): Plugin {
  return {
    name: "queue-chat:plain-dynamic-imports",
    apply: "build",
    enforce: "pre",
    load: (id) => (id === PRELOAD_HELPER ? PLAIN_PRELOAD : undefined),
  };
}

/**
 * The patient's page as one file: its script gets its own copy of every
 * module it uses (Preact, signals, the chat views), instead of sharing
 * chunks with the dashboard and the join page. A page's JavaScript
 * compresses better whole than in three files (about 0.8 kB less gzipped),
 * and a patient never opens the other pages, so sharing saves them nothing.
 * Its lazy chunks (files, a session's people) are its own copies too.
 */
function patientPageWhole(entry: string): Plugin {
  const mark = "?patient-page";
  return {
    name: "queue-chat:patient-page-whole",
    apply: "build",
    enforce: "pre",
    applyToEnvironment: (environment) => environment.name === "client",
    async resolveId(source, importer, options) {
      if (!importer || !(importer === entry || importer.endsWith(mark))) return;
      const from = importer.endsWith(mark) ? importer.slice(0, -mark.length) : importer;
      if (source === PRELOAD_HELPER) return PRELOAD_HELPER + mark;
      const resolved = await this.resolve(source, from, { ...options, skipSelf: true });
      if (!resolved || resolved.external || resolved.id.startsWith("\0")) return resolved;
      return { ...resolved, id: resolved.id + mark };
    },
    load(id) {
      if (!id.endsWith(mark)) return;
      const file = id.slice(0, -mark.length);
      return file === PRELOAD_HELPER ? PLAIN_PRELOAD : readFileSync(file, "utf8");
    },
  };
}

/** client/<page>.html: the home page, the three app pages and the page for unknown addresses. */
const PAGES = ["index", "patient", "provider", "join", "404"];

export default defineConfig({
  root: "client",
  // No Durable Object state or caches kept between runs (the runtime's scratch folder is removed on stop).
  plugins: [cloudflare({ configPath: "../wrangler.toml", persistState: false, inspectorPort: false }), privateDevVars(), sharedHead(), plainDynamicImports(), patientPageWhole(fileURLToPath(new URL("client/patient/main.tsx", import.meta.url)))],
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  // Browsers that run these pages preload modules themselves. A page's HTML
  // preloads its chunks; a lazy chunk's imports are already loaded (see plainDynamicImports).
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false, resolveDependencies: (_file, deps, { hostType }) => (hostType === "html" ? deps : []) },
  },
  environments: {
    client: {
      build: {
        // One HTML file per page, each loading only its own code (the Worker maps routes to them).
        rollupOptions: { input: Object.fromEntries(PAGES.map((page) => [page, fileURLToPath(new URL(`client/${page}.html`, import.meta.url))])) },
      },
    },
  },
  server: { port: Number(process.env.PORT ?? 8787), strictPort: true },
  preview: { port: Number(process.env.PORT ?? 8787), strictPort: true },
});
