import { schemaIssuePath } from "../describe-schema-issue.js";
import {
  registryEntrySchema,
  taskKeySchema,
  versionKeySchema,
  type RegistryEntry,
} from "./registry-file-schema.js";
import { describeIssue, registryFileError, type RegistryFileProblem } from "./registry-file-problems.js";
import { parseYamlSource, YamlSyntaxError, type YamlSource } from "./yaml-source.js";

/** One `prompts.<version>.<task>` entry, checked but not yet resolved against earlier versions. */
export interface RawRegistryEntry {
  version: string;
  task: string;
  /** `prompts.v1.sentiment` */
  path: string;
  /** Line of the entry's key (1-based), when known. */
  line: number | null;
  /** A bare system prompt (the short form) or a checked mapping. */
  entry: string | RegistryEntry;
  /** Where a key of the entry is, for later messages. */
  lineOf(key: string): number | null;
}

const example = ["prompts:", "  v1:", '    sentiment: "…"'].join("\n      ");

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

function keyProblem(
  schema: typeof versionKeySchema | typeof taskKeySchema,
  key: string,
  what: string,
): string | null {
  if (schema.safeParse(key).success) return null;
  return what === "version"
    ? `"${key}" is not a version name: expected letters, digits, ".", "_" or "-" (such as v1 or v2-rules)`
    : `"${key}" is not a task name: expected lower-case letters, digits, "-" and "_", starting with a letter`;
}

function entriesOf(source: YamlSource, problems: RegistryFileProblem[]): RawRegistryEntry[] {
  const root = source.value;
  const problem = (path: PropertyKey[], message: string) =>
    problems.push({ path: path.map(String).join(".") || "(root)", line: source.lineOf(path), message });
  if (!isMapping(root) || !("prompts" in root)) {
    const found = isMapping(root) ? `the keys ${Object.keys(root).join(", ") || "(none)"}` : typeName(root);
    problem(
      [],
      `expected a mapping with the key prompts, found ${found}; a registry file looks like\n      ${example}`,
    );
    return [];
  }
  for (const key of Object.keys(root)) {
    if (key !== "prompts")
      problem([key], `unknown key "${key}"; a registry file has only prompts: <version>: <task>:`);
  }
  const prompts = root.prompts;
  if (!isMapping(prompts)) {
    problem(["prompts"], `expected a mapping of versions (v1:, v2:, …), got ${typeName(prompts)}`);
    return [];
  }
  const entries: RawRegistryEntry[] = [];
  for (const [version, tasks] of Object.entries(prompts)) {
    const badVersion = keyProblem(versionKeySchema, version, "version");
    if (badVersion) problem(["prompts", version], badVersion);
    if (!isMapping(tasks)) {
      problem(["prompts", version], `expected a mapping of tasks (sentiment: …), got ${typeName(tasks)}`);
      continue;
    }
    for (const [task, value] of Object.entries(tasks)) {
      const at = ["prompts", version, task];
      const badTask = keyProblem(taskKeySchema, task, "task");
      if (badTask) problem(at, badTask);
      const base = {
        version,
        task,
        path: at.join("."),
        line: source.lineOf(at),
        lineOf: (key: string) => source.lineOf([...at, key]),
      };
      if (typeof value === "string") {
        if (value.trim() === "") problem(at, "expected the system prompt, got an empty text");
        else if (!badVersion && !badTask) entries.push({ ...base, entry: value });
        continue;
      }
      if (!isMapping(value)) {
        problem(
          at,
          `expected the system prompt (a text) or a mapping with system, labels, …; got ${typeName(value)}`,
        );
        continue;
      }
      const parsed = registryEntrySchema.safeParse(value);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          problem([...at, ...schemaIssuePath(issue)], describeIssue(issue));
      } else if (!badVersion && !badTask) entries.push({ ...base, entry: parsed.data });
    }
  }
  return entries;
}

/**
 * Reads a registry file's text into its entries, in file order. Every problem names its path and line and what
 * was expected; all of them are reported at once (VALIDATION_FAILED).
 */
export function parseRegistryFile(text: string, fileName?: string): RawRegistryEntry[] {
  let source: YamlSource;
  try {
    source = parseYamlSource(text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    throw registryFileError(
      [
        {
          path: "(yaml)",
          line: error.line,
          message: `not valid YAML at column ${error.column}: ${error.message}`,
        },
      ],
      fileName,
    );
  }
  const problems: RegistryFileProblem[] = [];
  const entries = entriesOf(source, problems);
  if (problems.length > 0) throw registryFileError(problems, fileName);
  return entries;
}
