import type { PromptVersion } from "./store/prompt-store.js";
import { unifiedDiff } from "./unified-diff.js";

/** The fields of a definition compared one by one (the system prompt gets a line diff instead). */
const comparedFields = [
  "kind",
  "labels",
  "params",
  "fewShot",
  "retrieval",
  "memory",
  "adapter",
  "description",
] as const;

/** A definition field or piece of version metadata that differs between the two versions. */
export interface ChangedField {
  field: (typeof comparedFields)[number] | "task" | "parentId" | "source";
  /** The value in the `from` version; null when unset. */
  from: unknown;
  /** The value in the `to` version; null when unset. */
  to: unknown;
}

/** What changed from one prompt version to another. */
export interface PromptVersionDiff {
  from: string;
  to: string;
  /** Whether the two versions behave the same (equal content hashes: only prose such as the description differs). */
  sameBehaviour: boolean;
  /** Unified line diff of the system prompt; "" when it is unchanged. */
  systemPrompt: string;
  /** Every other field that differs, in a fixed order. */
  changedFields: ChangedField[];
}

/** Compares two stored versions of any task(s): a line diff of the system prompt plus the changed fields. */
export function diffPromptVersions(from: PromptVersion, to: PromptVersion): PromptVersionDiff {
  const changedFields: ChangedField[] = [];
  const compare = (field: ChangedField["field"], a: unknown, b: unknown) => {
    if (stable(a) !== stable(b)) changedFields.push({ field, from: a ?? null, to: b ?? null });
  };
  compare("task", from.definition.task, to.definition.task);
  for (const field of comparedFields) compare(field, from.definition[field], to.definition[field]);
  compare("parentId", from.parentId, to.parentId);
  compare("source", from.source, to.source);
  return {
    from: from.id,
    to: to.id,
    sameBehaviour: from.contentHash === to.contentHash,
    systemPrompt: unifiedDiff(from.definition.systemPrompt, to.definition.systemPrompt, {
      fromLabel: from.id,
      toLabel: to.id,
    }),
    changedFields,
  };
}

/** The diff as text for a terminal: the system prompt's unified diff, then one `field: from → to` line each. */
export function formatPromptVersionDiff(diff: PromptVersionDiff): string {
  const lines = [`${diff.from} → ${diff.to}${diff.sameBehaviour ? " (same behaviour)" : ""}`];
  lines.push(diff.systemPrompt === "" ? "system prompt: unchanged" : diff.systemPrompt.trimEnd());
  for (const change of diff.changedFields) {
    lines.push(`${change.field}: ${display(change.from)} → ${display(change.to)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** JSON with object keys sorted, so {a, b} and {b, a} compare equal. */
function stable(value: unknown): string {
  if (value === undefined) return "undefined";
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function display(value: unknown): string {
  return value === null ? "(unset)" : JSON.stringify(value);
}
