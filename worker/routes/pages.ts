/**
 * Each page is its own HTML file with its own script (client/<page>.html),
 * so that a patient's browser downloads only the patient's page. Routes map
 * to those files here; files (hashed scripts and styles under /assets/, and
 * in development Vite's modules) pass through to the asset server, which
 * answers 404 for what it does not have; any other address gets the
 * not-found page.
 */
export function pageFor(path: string): string | null {
  // A waiting room's link: /r/<room>. The page reads the room from it; the API checks it.
  if (/^\/r\/[^/]+\/?$/.test(path)) return "/patient";
  if (path === "/" || path === "/provider" || path === "/join") return path;
  // A page's HTML file is reached by its route only, never by its file name.
  if (/\.(?!html?$)\w+$/i.test(path) || path.startsWith("/@")) return path;
  return null;
}

/** The static asset server's name for the not-found page (client/404.html). */
export const NOT_FOUND_PAGE = "/404";
