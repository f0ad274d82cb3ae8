import { promptVersionId, type PromptDefinition } from "../tasks/prompt-definition.js";
import type { PromptStore } from "./store/prompt-store.js";

export interface PromptSyncResult {
  created: string[];
  unchanged: string[];
  /** Tasks that had no active version and got one from the files. */
  activated: string[];
}

/**
 * Loads prompt files into the store as immutable versions. A task without an active version gets the
 * last version its files define; an existing active label is never moved here (that is the rollout's job).
 */
export async function syncPromptFiles(
  store: PromptStore,
  definitions: PromptDefinition[],
  now: number,
): Promise<PromptSyncResult> {
  const result: PromptSyncResult = { created: [], unchanged: [], activated: [] };
  const lastByTask = new Map<string, string>();
  for (const definition of definitions) {
    const { version, created } = await store.saveVersion({ definition, source: "file", createdAt: now });
    (created ? result.created : result.unchanged).push(version.id);
    lastByTask.set(definition.task, promptVersionId(definition.task, definition.version));
  }
  const labels = await store.listLabels();
  for (const [task, versionId] of lastByTask) {
    if (labels.some((l) => l.task === task && l.label === "active")) continue;
    await store.moveLabels([{ task, label: "active", toVersionId: versionId }], {
      actor: "system",
      reason: "first start: activated from prompt files",
      now,
    });
    result.activated.push(task);
  }
  return result;
}
