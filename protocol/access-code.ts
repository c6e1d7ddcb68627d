/**
 * Access codes: the 9 digits a guest types on the join page to enter a
 * text-only session. Plain functions with no imports, so the join page can
 * use them without bundling anything else.
 */

export const ACCESS_CODE = {
  digits: 9,
  /** A code stops working this long after it was made, if nothing ended it before. */
  lifetimeMs: 2 * 60 * 60 * 1000,
} as const;

/** Exactly nine digits, as the room and the directory keep a code. */
export const CODE_PATTERN = /^\d{9}$/;

/** `123456789` shown as `123 456 789`. */
export function formatCode(code: string): string {
  return code.replace(/(\d{3})(?=\d)/g, "$1 ");
}

/**
 * A code as someone typed or pasted it: spaces, dashes and dots between the
 * digits are accepted. Null when what is left is not nine digits.
 */
export function normalizeCode(typed: string): string | null {
  if (typed.length > 40) return null;
  const digits = typed.replace(/[\s\-.\u2010-\u2015\u00a0]/g, "");
  return CODE_PATTERN.test(digits) ? digits : null;
}

/** The invite link for a code: the code rides in the fragment, which browsers never send to a server. */
export function inviteLink(origin: string, code: string): string {
  return `${origin}/join#code=${code}`;
}
