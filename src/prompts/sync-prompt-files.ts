import { AppError, isAppError } from "../errors.js";
import { promptVersionId } from "../tasks/prompt-definition.js";
import type { PromptFileDefinition } from "./prompt-directory.js";
import { shortDiff } from "./registry-file/version-conflicts.js";
import type { PromptStore } from "./store/prompt-store.js";
import { activeVersionId } from "./prompt-label.js";

export interface PromptSyncResult {
  created: string[];
  unchanged: string[];
  /** Tasks that had no active version and got one from the files. */
  activated: string[];
}

/** A file's version whose id the registry holds with other content: the file, line, difference and the fixes. */
async function conflictAtStart(store: PromptStore, loaded: PromptFileDefinition): Promise<AppError> {
  const { definition, file, line } = loaded;
  const id = promptVersionId(definition.task, definition.version);
  const stored = await store.getVersion(id);
  const where = `${file}${line === null ? "" : `:${line}`}`;
  const diff = stored
    ? shortDiff(stored.definition, definition, { from: `${id} (registry)`, to: where })
    : "";
  return new AppError(
    "PROMPT_VERSION_CONFLICT",
    `${where}: ${id} is already in the registry with different content${stored ? ` (${stored.source}, ` + `${new Date(stored.createdAt).toISOString()})` : ""}:\n` +
      `${diff.replace(/^/gm, "    ")}\n` +
      `Versions are immutable. Fix: give the file's version a new name (version: ${definition.version} → an unused ` +
      `one such as ${definition.version}-2) and move the task to it with \`promptloop prompts start-canary\`, or ` +
      `restore the file's old text.`,
    { details: { id, file, line } },
  );
}

/**
 * Loads PROMPTS_DIR's versions into the store as immutable versions. A task without an active version gets the
 * version a registry file marks `active`, else the last version its files define without a status (a draft stays
 * a draft); an existing active label is never
 * moved here (that is the rollout's job). A file version whose id is stored with other content stops the load with
 * a message naming the file and line, the difference and the fix.
 */
export async function syncPromptFiles(
  store: PromptStore,
  definitions: readonly PromptFileDefinition[],
  now: number,
): Promise<PromptSyncResult> {
  const result: PromptSyncResult = { created: [], unchanged: [], activated: [] };
  const activeByTask = new Map<string, string>();
  const markedActive = new Set<string>();
  for (const loaded of definitions) {
    const { definition } = loaded;
    let saved;
    try {
      saved = await store.saveVersion({ definition, source: "file", createdAt: now });
    } catch (error) {
      if (isAppError(error) && error.code === "PROMPT_VERSION_CONFLICT")
        throw await conflictAtStart(store, loaded);
      throw error;
    }
    (saved.created ? result.created : result.unchanged).push(saved.version.id);
    // A version a registry file marks as draft, canary or retired never becomes active by being last.
    if (markedActive.has(definition.task) || (loaded.status !== undefined && loaded.status !== "active"))
      continue;
    activeByTask.set(definition.task, saved.version.id);
    if (loaded.status === "active") markedActive.add(definition.task);
  }
  const labels = await store.listLabels();
  for (const [task, versionId] of activeByTask) {
    if (activeVersionId(labels, task) !== undefined) continue;
    await store.moveLabels([{ task, label: "active", toVersionId: versionId }], {
      actor: "system",
      reason: "first start: activated from prompt files",
      now,
    });
    result.activated.push(task);
  }
  return result;
}
