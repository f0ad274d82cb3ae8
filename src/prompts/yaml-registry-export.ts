import YAML from "yaml";
import type { PromptStore, PromptVersion } from "./store/prompt-store.js";
import {
  deriveVersionStatuses,
  statusOfVersion,
  type VersionStatusEntry,
} from "./registry-version-status.js";
import type { RegistryDocument, RegistryEntry } from "./yaml-registry-schema.js";

/** Options of {@link exportRegistryYaml}. */
export interface ExportRegistryOptions {
  /** Only this task's versions. */
  task?: string;
}

/** The registry as a document: every version in the mapping form, oldest first (pure). */
export function buildRegistryDocument(
  versions: readonly PromptVersion[],
  statuses: ReadonlyMap<string, VersionStatusEntry>,
): RegistryDocument {
  const prompts: RegistryDocument["prompts"] = {};
  for (const version of versions) {
    const { definition } = version;
    const entry: RegistryEntry = { kind: definition.kind, system: definition.systemPrompt };
    if (definition.labels) entry.labels = definition.labels;
    if (definition.params) entry.params = { ...definition.params };
    if (definition.fewShot) entry.fewShot = definition.fewShot;
    if (definition.retrieval) entry.retrieval = { ...definition.retrieval };
    if (definition.description !== undefined) entry.description = definition.description;
    entry.parent = version.parentId;
    entry.source = version.source;
    entry.changelog = version.changelog;
    entry.createdAt = new Date(version.createdAt).toISOString();
    entry.status = statusOfVersion(statuses, version.id).status;
    (prompts[definition.version] ??= {})[definition.task] = entry;
  }
  return { prompts };
}

/** The registry (or one task of it) as YAML in the write-up's `prompts: <version>: <task>:` shape. */
export async function exportRegistryYaml(
  store: PromptStore,
  options: ExportRegistryOptions = {},
): Promise<string> {
  const [versions, labels, moves] = await Promise.all([
    store.listVersions(options.task),
    store.listLabels(options.task),
    store.listMoves(options.task),
  ]);
  const document = new YAML.Document(buildRegistryDocument(versions, deriveVersionStatuses(labels, moves)));
  document.commentBefore =
    " promptloop prompt registry: prompts: <version>: <task>: <entry>. Import with `promptloop prompts import`.";
  // No line folding and literal blocks: a prompt's line breaks are part of the prompt.
  return document.toString({ lineWidth: 0, blockQuote: "literal" });
}
