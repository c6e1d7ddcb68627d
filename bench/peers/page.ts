/**
 * The peers' patient page: a bare HTML form whose name box a script enables,
 * plus whatever client library the peer needs. It has no framework, no
 * styles and no check-in logic; it is a floor for page weight and load time,
 * not the same app.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

const PAGE_JS = `document.getElementById("checkin-name").disabled = false;\n`;

function pageHtml(scripts: string[]): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Waiting room</title>
${scripts.map((src) => `<script src="${src}" defer></script>`).join("\n")}
</head>
<body><main><h1>Waiting room</h1>
<form><label for="checkin-name">Your name</label><input id="checkin-name" disabled><button>Check in</button></form>
</main></body>
</html>
`;
}

/** Answers `/r/<room>`, `/provider` and `/page.js`; returns false for anything else. */
export function servePage(req: IncomingMessage, res: ServerResponse, libraries: string[] = []): boolean {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  if (path === "/page.js") {
    res.writeHead(200, { "content-type": "text/javascript" }).end(PAGE_JS);
    return true;
  }
  if (path.startsWith("/r/") || path === "/provider") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(pageHtml([...libraries, "/page.js"]));
    return true;
  }
  return false;
}
