import YAML from "yaml";
import { AppError } from "../errors.js";
import { contentHash, promptVersionId, type PromptDefinition } from "../tasks/prompt-definition.js";
import { definitionFromPromptFile, promptFileSchema } from "./prompt-file.js";
import type { LabelMove, PromptSource, PromptStore } from "./store/prompt-store.js";
import { registryDocumentSchema, type RegistryEntry } from "./yaml-registry-schema.js";

/** Options of {@link importRegistryYaml}. */
export interface ImportRegistryOptions {
  /** Creation time for entries without `createdAt`, and the time of restored label moves. */
  now: number;
  /** Recorded with restored label moves, e.g. `cli:alice`. */
  actor: string;
}

/** What an import did. */
export interface ImportRegistryResult {
  /** Version ids stored by this import. */
  created: string[];
  /** Version ids that already existed with the same content (a no-op). */
  unchanged: string[];
  /** Tasks that had no labels: the statuses in the file were applied. */
  labelsRestored: string[];
  /** Tasks that already had labels: statuses left alone (move labels with start-canary, promote, …). */
  labelsSkipped: string[];
}

interface ResolvedEntry {
  definition: PromptDefinition;
  parentId: string | null;
  source: PromptSource;
  changelog: Record<string, unknown>;
  createdAt: number;
  status: RegistryEntry["status"];
}

/**
 * Imports a registry YAML document (see yaml-registry-schema.ts). Versions are immutable, so the import only
 * adds: a version that exists with the same content is left as is, and one that exists with different content
 * fails the whole import before anything is written (PROMPT_VERSION_CONFLICT). Labels are restored from the
 * entries' `status` only for tasks that have no labels yet (a fresh registry); a running service's labels move
 * only through the rollout commands.
 */
export async function importRegistryYaml(
  store: PromptStore,
  text: string,
  options: ImportRegistryOptions,
): Promise<ImportRegistryResult> {
  const entries = await resolveEntries(store, parseDocument(text), options.now);
  for (const entry of entries) {
    const id = promptVersionId(entry.definition.task, entry.definition.version);
    const existing = await store.getVersion(id);
    if (existing && existing.contentHash !== contentHash(entry.definition)) {
      throw new AppError(
        "PROMPT_VERSION_CONFLICT",
        `${id} already exists with different content; nothing was imported. Versions are immutable: ` +
          `give the changed prompt a new version id.`,
        { details: { id } },
      );
    }
  }
  const labelledTasks = new Set((await store.listLabels()).map((label) => label.task));
  // Plan the label moves before writing anything, so a contradictory file changes nothing.
  const labelPlans: Array<{ task: string; moves: LabelMove[] }> = [];
  const result: ImportRegistryResult = { created: [], unchanged: [], labelsRestored: [], labelsSkipped: [] };
  for (const [task, taskEntries] of groupByTask(entries)) {
    const withStatus = taskEntries.filter((entry) => entry.status && entry.status !== "draft");
    if (withStatus.length === 0) continue;
    if (labelledTasks.has(task)) result.labelsSkipped.push(task);
    else labelPlans.push({ task, moves: labelMovesFor(task, withStatus) });
  }
  for (const entry of orderParentsFirst(entries, await knownIds(store))) {
    const { version, created } = await store.saveVersion(entry);
    (created ? result.created : result.unchanged).push(version.id);
  }
  for (const { task, moves } of labelPlans) {
    await store.moveLabels(moves, {
      actor: options.actor,
      reason: "restored from an imported registry file",
      now: options.now,
    });
    result.labelsRestored.push(task);
  }
  return result;
}

function parseDocument(text: string) {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (error) {
    throw new AppError("VALIDATION_FAILED", `Not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  const parsed = registryDocumentSchema.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error.issues);
  return parsed.data;
}

async function resolveEntries(
  store: PromptStore,
  document: ReturnType<typeof parseDocument>,
  now: number,
): Promise<ResolvedEntry[]> {
  const previousByTask = new Map<string, PromptDefinition>();
  const resolved: ResolvedEntry[] = [];
  for (const [version, tasks] of Object.entries(document.prompts)) {
    for (const [task, entry] of Object.entries(tasks)) {
      if (typeof entry === "string") {
        // The short form changes only the system prompt of the task's previous version.
        const base = previousByTask.get(task) ?? (await activeDefinition(store, task));
        if (!base) {
          throw new AppError(
            "VALIDATION_FAILED",
            `prompts.${version}.${task}: a bare system prompt needs an earlier version of ${task} to take ` +
              `kind and labels from; write the entry as a mapping with kind, system, labels`,
          );
        }
        const { description: _description, ...rest } = base;
        const definition = { ...rest, version, systemPrompt: entry };
        resolved.push({
          definition,
          parentId: promptVersionId(task, base.version),
          source: "file",
          changelog: {},
          createdAt: now,
          status: undefined,
        });
        previousByTask.set(task, definition);
        continue;
      }
      const { parent, source, changelog, createdAt, status, system, ...fields } = entry;
      const file = promptFileSchema.safeParse({ task, version, system, ...fields });
      if (!file.success) throw invalid(file.error.issues, `prompts.${version}.${task}`);
      const definition = definitionFromPromptFile(file.data);
      resolved.push({
        definition,
        parentId: parent ?? null,
        source: source ?? "file",
        changelog: changelog ?? {},
        createdAt: createdAt === undefined ? now : Date.parse(createdAt),
        status,
      });
      previousByTask.set(task, definition);
    }
  }
  return resolved;
}

async function activeDefinition(store: PromptStore, task: string): Promise<PromptDefinition | undefined> {
  const active = (await store.listLabels(task)).find((label) => label.label === "active");
  return active && (await store.getVersion(active.versionId))?.definition;
}

async function knownIds(store: PromptStore): Promise<Set<string>> {
  return new Set((await store.listVersions()).map((version) => version.id));
}

/** Parents before children (a parent may also already be stored); an unknown parent fails the import. */
function orderParentsFirst(entries: ResolvedEntry[], stored: Set<string>): ResolvedEntry[] {
  const placed = new Set(stored);
  const ordered: ResolvedEntry[] = [];
  let pending = entries;
  while (pending.length > 0) {
    const ready = pending.filter((entry) => entry.parentId === null || placed.has(entry.parentId));
    if (ready.length === 0) {
      const stuck = pending[0]!;
      throw new AppError(
        "VALIDATION_FAILED",
        `${promptVersionId(stuck.definition.task, stuck.definition.version)}: parent ${stuck.parentId} is ` +
          `neither in the file nor in the registry`,
      );
    }
    for (const entry of ready) {
      ordered.push(entry);
      placed.add(promptVersionId(entry.definition.task, entry.definition.version));
    }
    pending = pending.filter((entry) => !ready.includes(entry));
  }
  return ordered;
}

function groupByTask(entries: ResolvedEntry[]): Map<string, ResolvedEntry[]> {
  const groups = new Map<string, ResolvedEntry[]>();
  for (const entry of entries) {
    groups.set(entry.definition.task, [...(groups.get(entry.definition.task) ?? []), entry]);
  }
  return groups;
}

/** Retired versions first (oldest first, so the `retired` pointer ends on the newest), then the pointers. */
function labelMovesFor(task: string, entries: ResolvedEntry[]): LabelMove[] {
  const idOf = (entry: ResolvedEntry) => promptVersionId(task, entry.definition.version);
  const retired = entries
    .filter((entry) => entry.status === "retired")
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((entry) => ({ task, label: "retired", toVersionId: idOf(entry) }));
  const pointers: LabelMove[] = [];
  for (const label of ["pending_retirement", "canary", "active"] as const) {
    const holders = entries.filter((entry) => entry.status === label);
    if (holders.length > 1) {
      throw new AppError(
        "VALIDATION_FAILED",
        `${task}: ${holders.map(idOf).join(", ")} all claim status ${label}; a task has one ${label} version`,
      );
    }
    if (holders[0]) pointers.push({ task, label, toVersionId: idOf(holders[0]) });
  }
  return [...retired, ...pointers];
}

function invalid(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>, prefix = ""): AppError {
  const problems = issues.map(
    (issue) =>
      `${[prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "(root)"}: ${issue.message}`,
  );
  return new AppError("VALIDATION_FAILED", `Invalid registry file: ${problems.join("; ")}`, {
    details: { problems },
  });
}
