import { promptVersionId, type PromptDefinition } from "../../tasks/prompt-definition.js";
import type { PromptStore } from "../store/prompt-store.js";
import { planLabelRestores, orderParentsFirst } from "./import-order.js";
import { parseRegistryFile } from "./parse-registry-file.js";
import { renumberAsNewVersions, type Renumbered } from "./renumber-as-new-versions.js";
import { resolveRegistryEntries, type BaseVersion } from "./resolve-registry-entries.js";
import { conflictError, findConflicts, type ExistingDefinition } from "./version-conflicts.js";
import { activeVersionId } from "../prompt-label.js";

/** Options of {@link importRegistryYaml}. */
export interface ImportRegistryOptions {
  /** Creation time for entries without `createdAt`, and the time of restored label moves. */
  now: number;
  /** Recorded with restored label moves, e.g. `cli:alice`. */
  actor: string;
  /** The file's name, for messages and the changelog of `--as-new-version` versions. */
  fileName?: string;
  /** Save the file's versions as the tasks' next versions instead of under their own ids (`--as-new-version`). */
  asNewVersion?: boolean;
  /**
   * Versions PROMPTS_DIR defines that the registry may not hold yet (the service loads them at its next start),
   * with the file each is in. An entry that gives one of these ids other content is a conflict too.
   */
  promptFiles?: ReadonlyArray<{ definition: PromptDefinition; file: string }>;
}

/** What an import did. */
export interface ImportRegistryResult {
  /** Version ids stored by this import. */
  created: string[];
  /** Version ids that already existed with the same content (a no-op). */
  unchanged: string[];
  /** What the import worked out by itself, one sentence per version (kind and labels read from the prompt, …). */
  inferred: string[];
  /** With `asNewVersion`: the id each file entry got. */
  renumbered: Renumbered[];
  /** Tasks that had no labels: the statuses in the file were applied. */
  labelsRestored: string[];
  /** Tasks that had no labels and whose entries gave no status: their last version in the file, made active. */
  activated: string[];
  /** Tasks that already had labels: statuses left alone (move labels with start-canary, promote, …). */
  labelsSkipped: string[];
}

async function activeVersion(store: PromptStore, task: string): Promise<BaseVersion | undefined> {
  const activeId = activeVersionId(await store.listLabels(task), task);
  const version = activeId === undefined ? undefined : await store.getVersion(activeId);
  return version && { id: version.id, definition: version.definition, name: `${version.id} (active)` };
}

/**
 * Imports a registry YAML document (registry-file-schema.ts). Versions are immutable, so the import only adds: a
 * version that exists with the same content is left as is, and one that exists with different content fails the
 * whole import before anything is written (PROMPT_VERSION_CONFLICT, with a short diff and the way out), unless
 * `asNewVersion` saves the file's versions as the tasks' next versions. Labels are restored from the entries'
 * `status` only for tasks that have no labels yet (a fresh registry); a running service's labels move only
 * through the rollout commands.
 */
export async function importRegistryYaml(
  store: PromptStore,
  text: string,
  options: ImportRegistryOptions,
): Promise<ImportRegistryResult> {
  const raw = parseRegistryFile(text, options.fileName);
  let entries = await resolveRegistryEntries(raw, {
    activeVersion: (task) => activeVersion(store, task),
    now: options.now,
    ...(options.fileName !== undefined && { fileName: options.fileName }),
  });
  const labels = await store.listLabels();
  let renumbered: Renumbered[] = [];
  if (options.asNewVersion) {
    const activeIdOf = (task: string) => activeVersionId(labels, task);
    ({ entries, renumbered } = renumberAsNewVersions(
      entries,
      await store.listVersions(),
      activeIdOf,
      options.fileName,
    ));
  }
  const stored = new Map((await store.listVersions()).map((version) => [version.id, version.definition]));
  const fromFiles = new Map(
    (options.promptFiles ?? []).map(({ definition, file }) => [
      promptVersionId(definition.task, definition.version),
      { definition, file },
    ]),
  );
  const existingById = (id: string): ExistingDefinition | undefined => {
    const inRegistry = stored.get(id);
    if (inRegistry) return { definition: inRegistry, existingIn: "the registry" };
    const inFile = fromFiles.get(id);
    return (
      inFile && { definition: inFile.definition, existingIn: `${inFile.file} (PROMPTS_DIR, loaded at start)` }
    );
  };
  const conflicts = findConflicts(entries, existingById, options.fileName);
  if (conflicts.length > 0) throw conflictError(conflicts, options.fileName);

  const labelPlans = planLabelRestores(entries, new Set(labels.map((label) => label.task)));
  const result: ImportRegistryResult = {
    created: [],
    unchanged: renumbered.filter((r) => r.existing).map((r) => r.storedId),
    inferred: entries.flatMap((entry) => (entry.inferred === null ? [] : [entry.inferred])),
    renumbered,
    labelsRestored: [],
    activated: [],
    labelsSkipped: labelPlans.skipped,
  };
  for (const entry of orderParentsFirst(entries, new Set(stored.keys()))) {
    const { definition, parentId, source, changelog, createdAt, yamlShape } = entry;
    const saved = { definition, parentId, source, changelog, createdAt, yamlShape };
    const { version, created } = await store.saveVersion(saved);
    (created ? result.created : result.unchanged).push(version.id);
  }
  for (const { task, moves, activated } of labelPlans.restore) {
    const reason = activated
      ? "activated from an imported registry file (no status given: the file's last version of the task)"
      : "restored from an imported registry file";
    await store.moveLabels(moves, { actor: options.actor, reason, now: options.now });
    if (activated) result.activated.push(activated);
    else result.labelsRestored.push(task);
  }
  return result;
}
