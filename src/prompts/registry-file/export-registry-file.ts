import YAML from "yaml";
import type { PromptStore, PromptVersion } from "../store/prompt-store.js";
import {
  deriveVersionStatuses,
  statusOfVersion,
  type VersionStatusEntry,
} from "../registry-version-status.js";
import type { ExportedEntry, RegistryDocument } from "./registry-file-schema.js";
import { statusNameFor } from "./status-names.js";

/** Options of {@link exportRegistryYaml}. */
export interface ExportRegistryOptions {
  /** Only this task's versions. */
  task?: string;
}

/** A text changelog comes back as a text while it still holds nothing but its summary. */
function changelogFor(version: PromptVersion): ExportedEntry["changelog"] {
  const { changelog, yamlShape } = version;
  const onlySummary = Object.keys(changelog).length === 1 && typeof changelog.summary === "string";
  return yamlShape?.changelog === "text" && onlySummary ? (changelog.summary as string) : changelog;
}

/**
 * The registry as a document: every version in the mapping form, oldest first (pure). A version imported from a
 * hand-written file is written back in the shape it came in (`system_prompt:`, a text changelog, the Chinese status
 * name), from the shape recorded with it; everything else in the canonical shape.
 */
export function buildRegistryDocument(
  versions: readonly PromptVersion[],
  statuses: ReadonlyMap<string, VersionStatusEntry>,
): RegistryDocument {
  const prompts: RegistryDocument["prompts"] = {};
  for (const version of versions) {
    const { definition, yamlShape } = version;
    const systemKey = yamlShape?.systemKey ?? "system";
    const entry: ExportedEntry = {
      kind: definition.kind,
      [systemKey]: definition.systemPrompt,
      ...(definition.labels && { labels: definition.labels }),
      ...(definition.params && { params: { ...definition.params } }),
      ...(definition.fewShot && { fewShot: definition.fewShot }),
      ...(definition.retrieval && { retrieval: { ...definition.retrieval } }),
      ...(definition.memory && { memory: definition.memory }),
      ...(definition.adapter && { adapter: { ...definition.adapter } }),
      ...(definition.flagLabels && { flagLabels: definition.flagLabels }),
      ...(definition.feedback && { feedback: { ...definition.feedback } }),
      ...(definition.description !== undefined && { description: definition.description }),
      parent: version.parentId,
      source: version.source,
      changelog: changelogFor(version),
      createdAt: new Date(version.createdAt).toISOString(),
      status: statusNameFor(statusOfVersion(statuses, version.id).status, yamlShape?.statusName),
    };
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
