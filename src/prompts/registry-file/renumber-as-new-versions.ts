import { contentHash, promptVersionId, type PromptDefinition } from "../../tasks/prompt-definition.js";
import type { PromptVersion } from "../store/prompt-store.js";
import type { ResolvedEntry } from "./resolve-registry-entries.js";

/** What `--as-new-version` did with one entry. */
export interface Renumbered {
  /** The id the file gave it, e.g. `sentiment@v1`. */
  fileId: string;
  /** The entry, e.g. `prompts.v1.sentiment`. */
  entry: string;
  /** The id it is stored under: a new one, or an existing version with the same content. */
  storedId: string;
  /** True when an existing version already had exactly this content, so nothing new is stored. */
  existing: boolean;
}

/** Highest N of the task's versions named vN (v3, v3-rules count as 3); 0 when none is. */
function highestNumber(versionNames: Iterable<string>): number {
  let highest = 0;
  for (const name of versionNames) {
    const match = /^v(\d+)/.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest;
}

/** The behaviour hash of a definition under any version name: what "the same content" means here. */
function behaviour(definition: PromptDefinition): string {
  return contentHash({ ...definition, version: "" });
}

/**
 * `prompts import --as-new-version`: each entry becomes the task's next version (v2, v3 … after the highest vN
 * stored), in file order, with its parent mapped (a file entry's parent is that entry's new id; an entry without a
 * parent follows the active version). An entry whose content some version of the task already has is not stored
 * again. The changelog says where each version came from.
 */
export function renumberAsNewVersions(
  entries: readonly ResolvedEntry[],
  stored: readonly PromptVersion[],
  activeIdOf: (task: string) => string | undefined,
  fileName: string | undefined,
): { entries: ResolvedEntry[]; renumbered: Renumbered[] } {
  const namesByTask = new Map<string, string[]>();
  const idByBehaviour = new Map<string, string>();
  for (const version of stored) {
    const { task, version: name } = version.definition;
    namesByTask.set(task, [...(namesByTask.get(task) ?? []), name]);
    idByBehaviour.set(behaviour(version.definition), version.id);
  }
  const newId = new Map<string, string>();
  const renumbered: Renumbered[] = [];
  const result: ResolvedEntry[] = [];
  for (const entry of entries) {
    const { task } = entry.definition;
    const fileId = promptVersionId(task, entry.definition.version);
    const same = idByBehaviour.get(behaviour(entry.definition));
    if (same !== undefined) {
      newId.set(fileId, same);
      renumbered.push({ fileId, entry: entry.raw.path, storedId: same, existing: true });
      continue;
    }
    const names = namesByTask.get(task) ?? [];
    const version = `v${highestNumber(names) + 1}`;
    const storedId = promptVersionId(task, version);
    namesByTask.set(task, [...names, version]);
    const definition = { ...entry.definition, version };
    idByBehaviour.set(behaviour(definition), storedId);
    const parentId =
      entry.parentId === null ? (activeIdOf(task) ?? null) : (newId.get(entry.parentId) ?? entry.parentId);
    newId.set(fileId, storedId);
    renumbered.push({ fileId, entry: entry.raw.path, storedId, existing: false });
    const from = `${fileName ?? "a registry file"} (${entry.raw.path})`;
    const summary = entry.changelog.summary ?? `Imported from ${from} as ${storedId}: ${fileId} was taken.`;
    result.push({
      ...entry,
      definition,
      parentId,
      changelog: {
        ...entry.changelog,
        summary,
        importedFrom: { file: fileName ?? null, entry: entry.raw.path, fileId },
      },
    });
  }
  return { entries: result, renumbered };
}
