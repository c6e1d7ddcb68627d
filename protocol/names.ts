/**
 * Display names as the server takes them: the valibot schema for check-in and
 * scheduled joins, built on the rules in `name-rules.ts` (re-exported here),
 * which the pages and the provider-link script use as they are.
 */
import * as v from "valibot";
import { NAME_MESSAGES, displayNameProblem } from "./name-rules.ts";

export * from "./name-rules.ts";

/** A display name: trimmed, 2–60 characters, visible, no control, invisible or text-direction characters. */
export const DisplayName = v.pipe(
  v.optional(v.string(NAME_MESSAGES.missing), ""),
  v.trim(),
  v.rawCheck(({ dataset, addIssue }) => {
    const problem = dataset.typed ? displayNameProblem(dataset.value) : null;
    if (problem) addIssue({ message: problem });
  }),
);
