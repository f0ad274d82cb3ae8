import { AppError } from "../../errors.js";
import { promptVersionId } from "../../tasks/prompt-definition.js";
import type { LabelMove } from "../store/prompt-store.js";
import type { ResolvedEntry } from "./resolve-registry-entries.js";

const idOf = (entry: ResolvedEntry) => promptVersionId(entry.definition.task, entry.definition.version);

/** Parents before children (a parent may also already be stored); an unknown parent fails the import. */
export function orderParentsFirst(
  entries: readonly ResolvedEntry[],
  stored: ReadonlySet<string>,
): ResolvedEntry[] {
  const placed = new Set(stored);
  const ordered: ResolvedEntry[] = [];
  let pending = [...entries];
  while (pending.length > 0) {
    const ready = pending.filter((entry) => entry.parentId === null || placed.has(entry.parentId));
    if (ready.length === 0) {
      const stuck = pending[0]!;
      throw new AppError(
        "VALIDATION_FAILED",
        `${stuck.raw.path}${stuck.raw.line === null ? "" : ` (line ${stuck.raw.line})`}: parent ${stuck.parentId} ` +
          `is neither in the file nor in the registry; expected the id of an earlier version, such as ${stuck.definition.task}@v1`,
      );
    }
    for (const entry of ready) {
      ordered.push(entry);
      placed.add(idOf(entry));
    }
    pending = pending.filter((entry) => !ready.includes(entry));
  }
  return ordered;
}

/**
 * Retired versions first (oldest first, so the `retired` pointer ends on the newest), then the pointers. Each move
 * expects the label where this plan left it (unset at first), so a label set meanwhile aborts the import's moves.
 */
function labelMovesFor(task: string, entries: readonly ResolvedEntry[]): LabelMove[] {
  const retiredIds = entries
    .filter((entry) => entry.status === "retired")
    .sort((a, b) => a.createdAt - b.createdAt)
    .map(idOf);
  const retired = retiredIds.map((id, index): LabelMove => ({
    task,
    label: "retired",
    fromVersionId: retiredIds[index - 1] ?? null,
    toVersionId: id,
  }));
  const pointers: LabelMove[] = [];
  for (const label of ["pending_retirement", "canary", "active"] as const) {
    const holders = entries.filter((entry) => entry.status === label);
    if (holders.length > 1) {
      throw new AppError(
        "VALIDATION_FAILED",
        `${task}: ${holders.map((entry) => entry.raw.path).join(", ")} all claim status ${label}; expected one ` +
          `${label} version per task`,
      );
    }
    if (holders[0]) pointers.push({ task, label, fromVersionId: null, toVersionId: idOf(holders[0]) });
  }
  return [...retired, ...pointers];
}

/** A task's label moves planned from the file; `activated` when no entry had a status (see below). */
export interface LabelRestore {
  task: string;
  moves: LabelMove[];
  activated: string | null;
}

/**
 * Which tasks get their labels from the file's statuses: only those without labels yet. A task without labels
 * whose entries give no status gets its last version in the file as active, as PROMPTS_DIR's files do at the first
 * start, so a hand-written file (the write-up's has no statuses) is served. Planned before anything is written, so
 * a contradictory file changes nothing.
 */
export function planLabelRestores(
  entries: readonly ResolvedEntry[],
  labelledTasks: ReadonlySet<string>,
): { restore: LabelRestore[]; skipped: string[] } {
  const byTask = new Map<string, ResolvedEntry[]>();
  for (const entry of entries)
    byTask.set(entry.definition.task, [...(byTask.get(entry.definition.task) ?? []), entry]);
  const restore: LabelRestore[] = [];
  const skipped: string[] = [];
  for (const [task, taskEntries] of byTask) {
    const withStatus = taskEntries.filter((entry) => entry.status && entry.status !== "draft");
    const anyStatus = taskEntries.some((entry) => entry.status !== undefined);
    if (labelledTasks.has(task)) {
      if (withStatus.length > 0) skipped.push(task);
    } else if (withStatus.length > 0)
      restore.push({ task, moves: labelMovesFor(task, withStatus), activated: null });
    else if (!anyStatus) {
      const last = idOf(taskEntries[taskEntries.length - 1]!);
      restore.push({ task, moves: [{ task, label: "active", toVersionId: last }], activated: last });
    }
  }
  return { restore, skipped };
}
