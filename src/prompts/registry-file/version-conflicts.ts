import { AppError } from "../../errors.js";
import { contentHash, promptVersionId, type PromptDefinition } from "../../tasks/prompt-definition.js";
import { unifiedDiff } from "../unified-diff.js";
import type { ResolvedEntry } from "./resolve-registry-entries.js";

/** A version id the file defines with other content than the registry (or PROMPTS_DIR) already has. */
export interface VersionConflict {
  id: string;
  /** `prompts.v1.sentiment` */
  path: string;
  line: number | null;
  /** Where the other content is: "the registry" or a prompt file such as prompts/sentiment.v1.yaml. */
  existingIn: string;
  /** The system prompt's unified diff (existing → file) and one line per other differing field. */
  diff: string;
}

const maxDiffLines = 16;
const fields = ["kind", "labels", "params", "fewShot", "retrieval", "memory", "adapter"] as const;

/** A short diff: the system prompt's hunks (at most 16 lines) and every other field that differs. */
export function shortDiff(
  existing: PromptDefinition,
  incoming: PromptDefinition,
  labels: { from: string; to: string },
): string {
  const lines: string[] = [];
  // A line break added to both: the last lines would otherwise each carry "\ No newline at end of file".
  const system = unifiedDiff(`${existing.systemPrompt}\n`, `${incoming.systemPrompt}\n`, {
    fromLabel: labels.from,
    toLabel: labels.to,
    context: 1,
  });
  if (system !== "") {
    const all = system.trimEnd().split("\n");
    lines.push(...all.slice(0, maxDiffLines));
    if (all.length > maxDiffLines)
      lines.push(`… ${all.length - maxDiffLines} more lines (promptloop prompts diff shows all)`);
  } else if (existing.systemPrompt !== incoming.systemPrompt) {
    lines.push("system prompt: differs only in a line break at the end");
  }
  for (const field of fields) {
    const a = JSON.stringify(existing[field] ?? null);
    const b = JSON.stringify(incoming[field] ?? null);
    if (a !== b) lines.push(`${field}: ${a} → ${b}`);
  }
  return lines.join("\n");
}

/** Where a version's other content lives, with what it is. */
export interface ExistingDefinition {
  definition: PromptDefinition;
  existingIn: string;
}

/** The entries whose id is taken by different content (content hash; the description does not count). */
export function findConflicts(
  entries: readonly ResolvedEntry[],
  existingById: (id: string) => ExistingDefinition | undefined,
  fileName: string | undefined,
): VersionConflict[] {
  const conflicts: VersionConflict[] = [];
  for (const entry of entries) {
    const id = promptVersionId(entry.definition.task, entry.definition.version);
    const existing = existingById(id);
    if (!existing || contentHash(existing.definition) === contentHash(entry.definition)) continue;
    conflicts.push({
      id,
      path: entry.raw.path,
      line: entry.raw.line,
      existingIn: existing.existingIn,
      diff: shortDiff(existing.definition, entry.definition, {
        from: `${id} in ${existing.existingIn}`,
        to: `${entry.raw.path} (${fileName ?? "file"})`,
      }),
    });
  }
  return conflicts;
}

/** PROMPT_VERSION_CONFLICT naming each taken id, its diff, and the ways out. */
export function conflictError(conflicts: readonly VersionConflict[], fileName: string | undefined): AppError {
  const file = fileName ?? "<file>";
  const blocks = conflicts.map((conflict) => {
    const where = [fileName, conflict.line === null ? undefined : String(conflict.line)]
      .filter(Boolean)
      .join(":");
    return (
      `${where === "" ? "" : `${where}: `}${conflict.path}: ${conflict.id} already exists in ${conflict.existingIn} ` +
      `with different content:\n${conflict.diff.replace(/^/gm, "    ")}`
    );
  });
  return new AppError(
    "PROMPT_VERSION_CONFLICT",
    `Nothing was imported: versions are immutable, and ${conflicts.length === 1 ? "this id is" : "these ids are"} taken.\n` +
      `${blocks.join("\n")}\n` +
      `To keep both, save the file's versions as new versions after the active one:\n` +
      `    promptloop prompts import --as-new-version ${file}\n` +
      `or give each entry an unused version key.`,
    {
      details: {
        conflicts: conflicts.map((conflict) => ({ ...conflict, ...(fileName && { file: fileName }) })),
        fix: "--as-new-version",
      },
    },
  );
}
