/** JavaScript a page downloads, gzipped, as a browser would get it. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export interface PageJs {
  /** Sum of each file gzipped on its own (level 9), in bytes. */
  gzipBytes: number;
  rawBytes: number;
  files: { file: string; rawBytes: number; gzipBytes: number }[];
}

export interface ClientJs {
  patient: PageJs;
  provider: PageJs;
  /** The join page of a scheduled session (ours only). */
  join?: PageJs;
}

const gzip = (code: Buffer | string) => gzipSync(code, { level: 9 }).length;

function measure(files: Map<string, Buffer>): PageJs {
  const list = [...files].map(([file, code]) => ({ file, rawBytes: code.length, gzipBytes: gzip(code) }));
  return {
    gzipBytes: list.reduce((s, f) => s + f.gzipBytes, 0),
    rawBytes: list.reduce((s, f) => s + f.rawBytes, 0),
    files: list,
  };
}

/**
 * Our pages, from the Vite build: each page is its own HTML file
 * (dist/client/<page>.html). A page's JavaScript is its module script, the
 * chunks it preloads, and every chunk reached from those through static
 * imports (`from"./x.js"`, `import"./x.js"`).
 */
export function ourClientJs(distClient: string): ClientJs {
  const assets = join(distClient, "assets");
  const read = (file: string) => readFileSync(join(assets, file));
  const page = (name: string) => {
    const html = readFileSync(join(distClient, `${name}.html`), "utf8");
    const scripts = [...html.matchAll(/<(?:script[^>]*type="module"[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]);
    if (scripts.length === 0) throw new Error(`no module script in dist/client/${name}.html`);
    const files = new Map<string, Buffer>();
    const visit = (file: string) => {
      if (files.has(file)) return;
      const code = read(file);
      files.set(file, code);
      for (const m of code.toString().matchAll(/\b(?:from|import)\s*["'`]\.\/([\w.-]+\.js)["'`]/g)) visit(m[1]);
    };
    for (const file of scripts) visit(file);
    return measure(files);
  };
  return { patient: page("patient"), provider: page("provider"), join: page("join") };
}

/** A peer's page as served: every `<script src>` in its HTML. */
export async function servedPageJs(url: string): Promise<PageJs> {
  const html = await (await fetch(url)).text();
  const files = new Map<string, Buffer>();
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) {
    const res = await fetch(new URL(m[1], url));
    if (!res.ok) throw new Error(`GET ${m[1]}: ${res.status}`);
    files.set(m[1], Buffer.from(await res.arrayBuffer()));
  }
  return measure(files);
}
