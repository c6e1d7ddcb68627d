const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;
/**
 * Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069):
 * invisible, and they make the text after them show in another order than it
 * was written (`invoice\u202Efdp.exe` reads as "invoiceexe.pdf").
 */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;

/** The address a browser would open, in the form it would open it; null if it is not an http(s) URL. */
function webAddress(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Plain text, with each text-direction control shown as its code instead of acting on the text. */
function plain(text: string): (string | preact.JSX.Element)[] {
  const parts: (string | preact.JSX.Element)[] = [];
  let last = 0;
  for (const match of text.matchAll(BIDI_CONTROL)) {
    const start = match.index ?? 0;
    if (start > last) parts.push(text.slice(last, start));
    const code = `U+${match[0].codePointAt(0)!.toString(16).toUpperCase()}`;
    parts.push(
      <span class="hidden-char" title="A hidden character that changes the direction of the text">
        {code}
      </span>,
    );
    last = start + 1;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/**
 * Text with http(s) URLs as links; everything else stays text (never HTML).
 * A link shows the address it opens, normalized as the browser will open it
 * (`new URL(…).href`, which percent-encodes invisible and text-direction
 * characters), so its text cannot say one thing and open another.
 */
export function Linkified({ text }: { text: string }) {
  const parts: (string | preact.JSX.Element)[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    const href = webAddress(match[0]);
    if (!href) continue;
    const start = match.index ?? 0;
    parts.push(...plain(text.slice(last, start)));
    parts.push(
      <a href={href} target="_blank" rel="noopener noreferrer">
        {href}
      </a>,
    );
    last = start + match[0].length;
  }
  parts.push(...plain(text.slice(last)));
  return <>{parts}</>;
}
