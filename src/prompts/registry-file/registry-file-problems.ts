import { AppError } from "../../errors.js";
import { describeSchemaIssue, type SchemaIssue } from "../describe-schema-issue.js";
import { entryKeys } from "./registry-file-schema.js";

/** One thing wrong with a registry file: where (path and line) and what was expected. */
export interface RegistryFileProblem {
  /** Dotted path in the document, e.g. `prompts.v1.sentiment.status`; `(root)` for the document itself. */
  path: string;
  /** 1-based line in the file, when known. */
  line: number | null;
  message: string;
}

/** A zod issue's message, with the keys an entry may have when the key was unknown. */
export function describeIssue(issue: SchemaIssue): string {
  return describeSchemaIssue(issue, entryKeys);
}

/** `writeup.yaml:3: prompts.v1.sentiment: …` (file and line when known). */
export function formatProblem(problem: RegistryFileProblem, fileName?: string): string {
  const where = [fileName, problem.line === null ? undefined : String(problem.line)]
    .filter(Boolean)
    .join(":");
  const location = where === "" ? "" : `${fileName === undefined ? "line " : ""}${where}: `;
  return `${location}${problem.path}: ${problem.message}`;
}

/** The error for a file with problems: every problem on its own line, and the list in `details.problems`. */
export function registryFileError(
  problems: readonly RegistryFileProblem[],
  fileName: string | undefined,
): AppError {
  const byLine = [...problems].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  const lines = byLine.map((problem) => formatProblem(problem, fileName));
  const what = fileName === undefined ? "the registry file" : fileName;
  return new AppError(
    "VALIDATION_FAILED",
    `${what} cannot be imported (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${lines.join("\n  ")}`,
    {
      details: { problems: byLine.map((problem) => ({ ...problem, ...(fileName && { file: fileName }) })) },
    },
  );
}
