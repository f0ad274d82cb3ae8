import type { PromptLabelName } from "./prompt-label.js";
import type { PromptLabel, RecordedLabelMove } from "./store/prompt-store.js";

/**
 * Where a version stands. `active`, `canary` and `pending_retirement` are pointer labels (one version per task
 * each). `retired` is a per-version state: a task retires many versions over time, while the `retired` pointer
 * only remembers the latest, so a version counts as retired when the last label moved onto it was `retired`
 * and no pointer label holds it now. `draft`: never labelled (or unlabelled without being retired).
 */
export type VersionStatus = PromptLabelName | "draft";

const pointerPriority: VersionStatus[] = ["active", "canary", "pending_retirement"];

/** One version's status and the labels pointing at it now. */
export interface VersionStatusEntry {
  status: VersionStatus;
  /** Pointer labels currently on the version (e.g. `["active"]`), sorted. */
  labels: string[];
  /** When it was last retired (epoch ms); null unless `status` is `retired`. */
  retiredAt: number | null;
}

/**
 * Derives every version's status from the labels now and the move log (pure). Versions that appear in neither
 * are drafts; ask with {@link statusOfVersion}.
 */
export function deriveVersionStatuses(
  labels: readonly PromptLabel[],
  moves: readonly RecordedLabelMove[],
): Map<string, VersionStatusEntry> {
  const lastLabelMoved = new Map<string, { label: string; at: number }>();
  for (const move of [...moves].sort((a, b) => a.id - b.id)) {
    if (move.toVersionId !== null)
      lastLabelMoved.set(move.toVersionId, { label: move.label, at: move.createdAt });
  }
  const held = new Map<string, string[]>();
  for (const label of labels) {
    if (label.label === "retired") continue;
    held.set(label.versionId, [...(held.get(label.versionId) ?? []), label.label].sort());
  }
  const statuses = new Map<string, VersionStatusEntry>();
  for (const versionId of new Set([...lastLabelMoved.keys(), ...held.keys()])) {
    const current = held.get(versionId) ?? [];
    const pointer = pointerPriority.find((status) => current.includes(status));
    const last = lastLabelMoved.get(versionId);
    if (pointer) statuses.set(versionId, { status: pointer, labels: current, retiredAt: null });
    else if (last?.label === "retired") {
      statuses.set(versionId, { status: "retired", labels: current, retiredAt: last.at });
    } else statuses.set(versionId, { status: "draft", labels: current, retiredAt: null });
  }
  return statuses;
}

/** A version's entry, `draft` when the registry never labelled it. */
export function statusOfVersion(
  statuses: ReadonlyMap<string, VersionStatusEntry>,
  versionId: string,
): VersionStatusEntry {
  return statuses.get(versionId) ?? { status: "draft", labels: [], retiredAt: null };
}
