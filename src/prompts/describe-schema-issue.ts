/** A zod issue, as much of it as the messages need. */
export interface SchemaIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
}

/**
 * A zod issue's message with what was expected where zod's own text leaves it out: an unknown key lists the
 * keys allowed there (`expectedKeys`), and zod's "Invalid input: " prefix goes (the path already says where).
 */
export function describeSchemaIssue(issue: SchemaIssue, expectedKeys: readonly string[]): string {
  if (issue.code === "unrecognized_keys") {
    const keys = (issue.keys ?? []).map((key) => `"${key}"`).join(", ");
    return `unknown key ${keys}; expected one of ${expectedKeys.join(", ")}`;
  }
  return issue.message.replace(/^Invalid input: /, "");
}

/** Where an issue is: an unknown key's own path (zod puts it on the mapping that holds it). */
export function schemaIssuePath(issue: SchemaIssue): PropertyKey[] {
  const keys = issue.code === "unrecognized_keys" ? (issue.keys ?? []) : [];
  return keys.length === 1 ? [...issue.path, keys[0]!] : [...issue.path];
}
