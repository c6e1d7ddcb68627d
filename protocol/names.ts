import * as v from "valibot";

const NAME_MIN = 2;
const NAME_MAX = 60;

/** A display name: trimmed, 2–60 characters, no control characters. */
export const DisplayName = v.pipe(
  v.optional(v.string("Please enter your name."), ""),
  v.trim(),
  v.minLength(NAME_MIN, `Please enter at least ${NAME_MIN} characters.`),
  v.maxLength(NAME_MAX, `Please use at most ${NAME_MAX} characters.`),
  // eslint-disable-next-line no-control-regex
  v.regex(/^[^\u0000-\u001f\u007f]*$/, "Please use letters, numbers and punctuation only."),
);
