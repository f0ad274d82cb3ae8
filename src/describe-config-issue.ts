import type { z } from "zod";

/** Settings whose values never appear in messages or logs. */
const secretSettings = /TOKEN|KEY|SECRET|PASSWORD/;

/** zod's own messages start like this; custom ones (refinements, `min(…, message)`) are used as written. */
const zodMessage = /^(Invalid|Too small|Too big)/;

const quoted = (value: unknown) => JSON.stringify(typeof value === "string" ? value : String(value));

function bound(kind: "at least" | "at most", limit: number | bigint, inclusive: boolean, origin: string) {
  if (origin === "string" || origin === "array")
    return `${kind} ${limit} ${origin === "string" ? "characters" : "entries"}`;
  const exclusive = kind === "at least" ? "above" : "below";
  return inclusive ? `${kind} ${limit}` : `${exclusive} ${limit}`;
}

/** What was wrong, in words, from zod's issue. */
function problem(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "int" ? "expected a whole number" : `expected a ${issue.expected}`;
    case "too_small":
      return `must be ${bound("at least", issue.minimum, issue.inclusive ?? true, issue.origin)}`;
    case "too_big":
      return `must be ${bound("at most", issue.maximum, issue.inclusive ?? true, issue.origin)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((value) => String(value)).join(", ")}`;
    default:
      return issue.message;
  }
}

/**
 * One line naming the variable to change, what it was set to (never for secrets) and what is wrong, e.g.
 * `PORT="http": expected a number`.
 */
export function describeConfigIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const key = String(issue.path[0] ?? "configuration");
  const shown =
    value === undefined
      ? ""
      : secretSettings.test(key)
        ? ` (${String(value).length} characters)`
        : `=${quoted(value)}`;
  const text = zodMessage.test(issue.message) ? problem(issue) : issue.message.replace(`${key} `, "");
  return `${key}${shown}: ${text}`;
}
