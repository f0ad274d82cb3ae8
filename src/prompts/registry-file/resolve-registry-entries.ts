import { promptVersionId, type PromptDefinition } from "../../tasks/prompt-definition.js";
import { definitionFromPromptFile, promptFileSchema } from "../prompt-file.js";
import type { VersionStatus } from "../registry-version-status.js";
import type { PromptSource, YamlEntryShape } from "../store/prompt-store.js";
import { inferLabels } from "./infer-labels.js";
import type { RawRegistryEntry } from "./parse-registry-file.js";
import { describeIssue, registryFileError, type RegistryFileProblem } from "./registry-file-problems.js";
import type { RegistryEntry } from "./registry-file-schema.js";
import { isChineseStatusName, statusFromName } from "./status-names.js";

/** An entry turned into a version to store. */
export interface ResolvedEntry {
  /** Where it came from in the file. */
  raw: RawRegistryEntry;
  definition: PromptDefinition;
  parentId: string | null;
  source: PromptSource;
  changelog: Record<string, unknown>;
  createdAt: number;
  status: VersionStatus | undefined;
  yamlShape: YamlEntryShape;
  /** What the import worked out by itself (kind, labels), said in its output; null when the file said it all. */
  inferred: string | null;
}

/** A version an entry can build on: the task's previous entry in the file, else its active version. */
export interface BaseVersion {
  id: string;
  definition: PromptDefinition;
  /** How messages name it: `prompts.v1.sentiment` for an entry of the file, `sentiment@v1 (active)` for a stored one. */
  name: string;
}

export interface ResolveOptions {
  /** The task's active version in the registry, if any (short forms build on it when the file has none). */
  activeVersion(task: string): Promise<BaseVersion | undefined>;
  now: number;
  fileName?: string;
}

const quoteList = (labels: readonly string[]) => labels.join(" / ");
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((label) => b.includes(label));

interface KindAndLabels {
  kind: "classifier" | "generator";
  labels?: string[];
  inferred: string | null;
  /** The version kind and labels came from, which becomes the parent unless the file names one. */
  from: BaseVersion | null;
}

function askForLabels(raw: RawRegistryEntry): string {
  return (
    `cannot tell what ${raw.task} outputs: no earlier version of ${raw.task} in the file or the registry, and the ` +
    `prompt does not restrict its output (such as 输出只能是'正面'或'负面'). Write the entry as a mapping with ` +
    `labels, e.g. ${raw.task}: {system: "…", labels: [正面, 负面]}, or kind: generator for free text`
  );
}

/** Kind and labels: from the file, else read from the prompt, else from the base version; null with a problem. */
function kindAndLabels(
  raw: RawRegistryEntry,
  system: string,
  mapping: RegistryEntry | null,
  base: BaseVersion | undefined,
  problems: RegistryFileProblem[],
): KindAndLabels | null {
  const id = raw.path;
  const read = inferLabels(system);
  if (mapping?.labels)
    return {
      kind: mapping.kind ?? "classifier",
      labels: mapping.labels,
      inferred: mapping.kind ? null : `${id}: kind classifier (it has labels)`,
      from: null,
    };
  if (mapping?.kind === "generator") return { kind: "generator", inferred: null, from: null };
  if (
    base &&
    mapping?.kind === undefined &&
    base.definition.labels &&
    read &&
    !sameSet(read.labels, base.definition.labels)
  ) {
    problems.push({
      path: raw.path,
      line: raw.line,
      message:
        `the prompt restricts the output to ${quoteList(read.labels)} (“${read.evidence}”), but ${base.name}, whose ` +
        `labels it would take, has ${quoteList(base.definition.labels)}; write the entry as a mapping with labels`,
    });
    return null;
  }
  if (read && (mapping?.kind === "classifier" || !base)) {
    const kind = mapping?.kind === "classifier" ? "" : "kind classifier, ";
    return {
      kind: "classifier",
      labels: read.labels,
      inferred: `${id}: ${kind}labels ${quoteList(read.labels)} read from “${read.evidence}”`,
      from: null,
    };
  }
  if (base && (mapping?.kind === undefined || mapping.kind === base.definition.kind)) {
    const what = typeof raw.entry === "string" ? "kind, labels and settings" : "kind and labels";
    return {
      kind: base.definition.kind,
      ...(base.definition.labels && { labels: base.definition.labels }),
      inferred: `${id}: ${what} from ${base.name}`,
      from: base,
    };
  }
  problems.push({ path: raw.path, line: raw.line, message: askForLabels(raw) });
  return null;
}

function shapeOf(mapping: RegistryEntry | null): YamlEntryShape {
  const shape: YamlEntryShape = {};
  if (mapping?.system_prompt !== undefined) shape.systemKey = "system_prompt";
  if (typeof mapping?.changelog === "string") shape.changelog = "text";
  if (mapping?.status !== undefined && isChineseStatusName(mapping.status))
    shape.statusName = mapping.status.trim();
  return shape;
}

function resolveOne(
  raw: RawRegistryEntry,
  base: BaseVersion | undefined,
  now: number,
  problems: RegistryFileProblem[],
): ResolvedEntry | null {
  const mapping = typeof raw.entry === "string" ? null : raw.entry;
  const system = mapping === null ? (raw.entry as string) : (mapping.system ?? mapping.system_prompt)!;
  const decided = kindAndLabels(raw, system, mapping, base, problems);
  if (decided === null) return null;
  // The short form changes only the system prompt: settings come from the version it builds on.
  const settings = mapping === null ? decided.from?.definition : undefined;
  const { kind: _kind, system: _system, system_prompt: _alias, labels: _labels, ...rest } = mapping ?? {};
  const { parent, source, changelog, createdAt, status, ...fields } = rest;
  const file = promptFileSchema.safeParse({
    ...(settings?.params && { params: settings.params }),
    ...(settings?.fewShot && { fewShot: settings.fewShot }),
    ...(settings?.retrieval && { retrieval: settings.retrieval }),
    ...(settings?.memory && { memory: settings.memory }),
    ...(settings?.adapter && { adapter: settings.adapter }),
    ...(settings?.flagLabels && { flagLabels: settings.flagLabels }),
    ...(settings?.feedback && { feedback: settings.feedback }),
    ...fields,
    task: raw.task,
    version: raw.version,
    kind: decided.kind,
    system,
    ...(decided.labels && { labels: decided.labels }),
  });
  if (!file.success) {
    for (const issue of file.error.issues) {
      const key = String(issue.path[0] ?? "");
      problems.push({
        path: [raw.path, ...issue.path.map(String)].join("."),
        line: raw.lineOf(key) ?? raw.line,
        message: describeIssue(issue),
      });
    }
    return null;
  }
  return {
    raw,
    definition: definitionFromPromptFile(file.data),
    parentId: parent !== undefined ? parent : (decided.from?.id ?? null),
    source: source ?? "file",
    changelog: typeof changelog === "string" ? { summary: changelog } : (changelog ?? {}),
    createdAt: createdAt === undefined ? now : Date.parse(createdAt),
    status: status === undefined ? undefined : (statusFromName(status) ?? undefined),
    yamlShape: shapeOf(mapping),
    inferred: decided.inferred,
  };
}

/**
 * Turns a file's entries into versions, in file order. A short form (`sentiment: "…"`) takes kind, labels and
 * settings from the task's previous entry in the file, else from its active version; with neither, the labels are
 * read from the prompt (输出只能是'正面'或'负面'). A mapping without kind or labels is completed the same way.
 * Every entry that can't be completed is reported, with its path and line (VALIDATION_FAILED).
 */
export async function resolveRegistryEntries(
  entries: readonly RawRegistryEntry[],
  options: ResolveOptions,
): Promise<ResolvedEntry[]> {
  const previousByTask = new Map<string, BaseVersion>();
  const problems: RegistryFileProblem[] = [];
  const resolved: ResolvedEntry[] = [];
  for (const raw of entries) {
    const base = previousByTask.get(raw.task) ?? (await options.activeVersion(raw.task));
    const entry = resolveOne(raw, base, options.now, problems);
    if (entry === null) continue;
    resolved.push(entry);
    previousByTask.set(raw.task, {
      id: promptVersionId(raw.task, raw.version),
      definition: entry.definition,
      name: raw.path,
    });
  }
  if (problems.length > 0) throw registryFileError(problems, options.fileName);
  return resolved;
}
