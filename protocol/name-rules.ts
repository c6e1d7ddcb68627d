/**
 * Display names: the one rule for what a name may be, used wherever a name is
 * made (check-in, a scheduled join, the provider-link script) and by the pages
 * before they send one. A name shows in the provider's queue, in every chat
 * and in `chat-history.txt`, so it must be something a reader can see and
 * cannot forge a line, hide text, or reorder what is around it.
 *
 * Plain functions with no imports, so the pages can use them without bundling
 * valibot; `names.ts` builds the server's schema from them.
 */

export const NAME_MIN = 2;
export const NAME_MAX = 60;

/** What the person typing is told. Fixed sentences: an answer never quotes the input. */
export const NAME_MESSAGES = {
  missing: "Please enter your name.",
  short: `Please enter at least ${NAME_MIN} characters.`,
  long: `Please use at most ${NAME_MAX} characters.`,
  control: "Please use letters, numbers and punctuation only.",
  invisible: "Please remove invisible or text-direction characters from your name.",
  blank: "Your name cannot be only spaces or invisible characters.",
} as const;

// eslint-disable-next-line no-control-regex
const C0_CONTROL = /[\u0000-\u001f\u007f]/;
/**
 * C1 controls, line and paragraph separators, lone surrogates, and format
 * characters: bidi embeddings, overrides, isolates and marks, zero-width
 * space, word joiner, byte order mark, soft hyphen, tag characters. The two
 * joiners (U+200C, U+200D) stay allowed: Persian, Indic scripts and emoji
 * sequences need them inside a name.
 */
const INVISIBLE = /[\u0080-\u009f\u2028\u2029\p{Cs}]|(?![\u200c\u200d])\p{Cf}/u;
/** A letter, digit, punctuation or symbol that does not render blank (Hangul fillers, braille blank). */
const VISIBLE = /(?![\u115f\u1160\u3164\uffa0\u2800])[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * What is wrong with the characters of an already trimmed name, or null.
 * Lengths are the caller's: the provider-link script allows one character.
 */
export function nameCharactersProblem(name: string): string | null {
  if (C0_CONTROL.test(name)) return NAME_MESSAGES.control;
  if (INVISIBLE.test(name)) return NAME_MESSAGES.invisible;
  if (!VISIBLE.test(name)) return NAME_MESSAGES.blank;
  return null;
}

/** What is wrong with a display name as typed (it is trimmed first), or null if the server will take it. */
export function displayNameProblem(typed: string): string | null {
  const name = typed.trim();
  if (name.length < NAME_MIN) return NAME_MESSAGES.short;
  if (name.length > NAME_MAX) return NAME_MESSAGES.long;
  return nameCharactersProblem(name);
}

const FSI = "\u2068";
const PDI = "\u2069";

/**
 * A name for plain text (a notification title, a document title): wrapped in
 * FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, so a right-to-left name
 * cannot reorder the words around it. In the DOM, use `<bdi>` instead.
 */
export const isolateName = (name: string): string => FSI + name + PDI;
