/**
 * Each page is its own HTML file with its own script (client/<page>.html),
 * so that a patient's browser downloads only the patient's page. Routes map
 * to those files here; hashed scripts and styles under /assets/ pass
 * through; any other address gets the not-found page.
 */
export function pageFor(path: string): string | null {
  if (path.startsWith("/assets/")) return path;
  // A waiting room's link: /r/<room>. The page reads the room from it; the API checks it.
  if (/^\/r\/[^/]+\/?$/.test(path)) return "/patient";
  if (path === "/" || path === "/provider" || path === "/join") return path;
  return null;
}

/** The static asset server's name for the not-found page (client/404.html). */
export const NOT_FOUND_PAGE = "/404";
