import { AppError } from "../errors.js";
import {
  contentHash,
  promptVersionId,
  type PromptAdapter,
  type PromptDefinition,
} from "../tasks/prompt-definition.js";
import { diffPromptVersions, type PromptVersionDiff } from "./diff-prompt-versions.js";
import { definitionFromPromptFile, promptFileSchema } from "./prompt-file.js";
import type { PromptSource, PromptStore, PromptVersion, RecordedLabelMove } from "./store/prompt-store.js";
import {
  deriveVersionStatuses,
  statusOfVersion,
  type VersionStatus,
  type VersionStatusEntry,
} from "./registry-version-status.js";
import { exportRegistryYaml } from "./registry-file/export-registry-file.js";
import {
  importRegistryYaml,
  type ImportRegistryOptions,
  type ImportRegistryResult,
} from "./registry-file/import-registry-file.js";
import { activeVersionId } from "./prompt-label.js";

/** A version as the CLI and the admin API show it. */
export interface RegistryVersionView {
  id: string;
  task: string;
  version: string;
  kind: "classifier" | "generator";
  status: VersionStatus;
  /** Pointer labels on it now (`active`, `canary`, `pending_retirement`). */
  labels: string[];
  source: PromptSource;
  parentId: string | null;
  changelog: Record<string, unknown>;
  contentHash: string;
  createdAt: string;
  retiredAt: string | null;
  definition: PromptVersion["definition"];
}

/** A new version as a person (CLI, admin API) or the analysis job describes it. */
export interface CreateVersionInput {
  task: string;
  version: string;
  /**
   * The version this one derives from; every field left out is taken from it. Undefined means the task's active
   * version (if any); null means none (then kind, system and, for a classifier, labels are required).
   */
  parentId?: string | null;
  kind?: "classifier" | "generator";
  system?: string;
  labels?: string[];
  params?: Record<string, unknown>;
  fewShot?: Array<{ input: string; label: string }>;
  retrieval?: Record<string, unknown>;
  /** A LoRA adapter file to serve with the version (checked, hashed); null drops the parent's adapter. */
  adapter?: { path: string; scale?: number | undefined } | null;
  description?: string;
  /** What changed and why, with the evidence (e.g. `{summary, evidence: {reportId}}`). */
  changelog?: Record<string, unknown>;
  /** Default `human`. */
  source?: PromptSource;
}

/** The registry's read and write operations shared by the CLI and the admin API (labels move elsewhere). */
export interface RegistryService {
  list(query?: { task?: string }): Promise<RegistryVersionView[]>;
  /** One version, with every label move that put a label on it or took one off. */
  show(id: string): Promise<{ version: RegistryVersionView; moves: RecordedLabelMove[] }>;
  /** Stores a new immutable version; the same content under the same id again is a no-op (`created: false`). */
  create(
    input: CreateVersionInput,
    meta: { actor: string },
  ): Promise<{ version: RegistryVersionView; created: boolean }>;
  diff(fromId: string, toId: string): Promise<PromptVersionDiff>;
  exportYaml(query?: { task?: string }): Promise<string>;
  /** Imports a registry YAML file (see docs/prompts.md); `fileName` and `promptFiles` sharpen its messages. */
  importYaml(
    text: string,
    meta: { actor: string } & Pick<ImportRegistryOptions, "fileName" | "asNewVersion" | "promptFiles">,
  ): Promise<ImportRegistryResult>;
}

/** Builds the registry service over a prompt store; `now` stamps created versions. */
export function createRegistryService(deps: {
  prompts: PromptStore;
  now: () => number;
  /**
   * Checks a LoRA adapter against the served model and hashes it (engine/local/lora-adapter-file.ts); absent
   * when the model can't load adapters (a remote model), so such versions are refused.
   */
  checkAdapter?:
    ((request: { path: string; scale?: number | undefined }) => Promise<PromptAdapter>) | undefined;
}): RegistryService {
  const { prompts } = deps;

  async function statuses(task?: string) {
    const [labels, moves] = await Promise.all([prompts.listLabels(task), prompts.listMoves(task)]);
    return deriveVersionStatuses(labels, moves);
  }

  async function require(id: string): Promise<PromptVersion> {
    const version = await prompts.getVersion(id);
    if (!version) throw new AppError("PROMPT_VERSION_NOT_FOUND", `Prompt version ${id} does not exist`);
    return version;
  }

  async function checkedAdapter(request: NonNullable<CreateVersionInput["adapter"]> | null) {
    if (request === null) return undefined;
    if (!deps.checkAdapter) {
      throw new AppError(
        "ADAPTER_UNSUPPORTED",
        "This deployment's model can't load LoRA adapters: only the local engine does (not LLM_BASE_URL)",
      );
    }
    return deps.checkAdapter(request);
  }

  return {
    async list(query = {}) {
      const [versions, byId] = await Promise.all([prompts.listVersions(query.task), statuses(query.task)]);
      return versions.map((version) => toView(version, statusOfVersion(byId, version.id)));
    },

    async show(id) {
      const version = await require(id);
      const task = version.definition.task;
      const [byId, moves] = await Promise.all([statuses(task), prompts.listMoves(task)]);
      return {
        version: toView(version, statusOfVersion(byId, id)),
        moves: moves.filter((move) => move.fromVersionId === id || move.toVersionId === id),
      };
    },

    async create(input, meta) {
      // Describing an existing version: omitted fields are as stored, so an identical retry is a no-op and a
      // changed field is a PROMPT_VERSION_CONFLICT (versions never change).
      const existing = await prompts.getVersion(promptVersionId(input.task, input.version));
      const parent = existing ? undefined : await parentOf(prompts, input);
      const base = existing?.definition ?? parent?.definition;
      const adapter = input.adapter === undefined ? base?.adapter : await checkedAdapter(input.adapter);
      const file = promptFileSchema.safeParse({
        task: input.task,
        version: input.version,
        kind: input.kind ?? base?.kind,
        system: input.system ?? base?.systemPrompt,
        labels: input.labels ?? base?.labels,
        params: input.params ?? base?.params,
        fewShot: input.fewShot ?? base?.fewShot,
        retrieval: input.retrieval ?? base?.retrieval,
        adapter: adapter ?? undefined,
        // What the task flags and asks its users stays with the task from version to version.
        flagLabels: base?.flagLabels,
        feedback: base?.feedback,
        description: input.description,
      });
      if (!file.success) {
        const problems = file.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
        throw new AppError("VALIDATION_FAILED", `Invalid prompt version: ${problems.join("; ")}`, {
          details: { problems },
        });
      }
      const definition = definitionFromPromptFile(file.data);
      if (!existing && parent && sameBehaviour(definition, parent.definition)) {
        throw new AppError(
          "PROMPT_VERSION_UNCHANGED",
          `${promptVersionId(input.task, input.version)} would be identical to its parent ${parent.id}: change the ` +
            "system prompt, labels, params, few-shot examples, retrieval or adapter",
          { details: { parentId: parent.id } },
        );
      }
      const { version, created } = await prompts.saveVersion({
        definition,
        parentId: existing ? existing.parentId : (parent?.id ?? null),
        source: input.source ?? "human",
        changelog: { ...input.changelog, createdBy: meta.actor },
        createdAt: deps.now(),
      });
      return { version: toView(version, statusOfVersion(await statuses(input.task), version.id)), created };
    },

    async diff(fromId, toId) {
      return diffPromptVersions(await require(fromId), await require(toId));
    },

    exportYaml: (query = {}) => exportRegistryYaml(prompts, query),

    importYaml: (text, meta) => importRegistryYaml(prompts, text, { ...meta, now: deps.now() }),
  };
}

/** Same behaviour under any version name (the description, prose only, is not part of it). */
function sameBehaviour(a: PromptDefinition, b: PromptDefinition): boolean {
  return contentHash({ ...a, version: "" }) === contentHash({ ...b, version: "" });
}

async function parentOf(prompts: PromptStore, input: CreateVersionInput): Promise<PromptVersion | undefined> {
  if (input.parentId === null) return undefined;
  const parentId = input.parentId ?? activeVersionId(await prompts.listLabels(input.task), input.task);
  if (parentId === undefined) return undefined;
  const parent = await prompts.getVersion(parentId);
  if (!parent) throw new AppError("PROMPT_VERSION_NOT_FOUND", `Parent version ${parentId} does not exist`);
  if (parent.definition.task !== input.task) {
    throw new AppError(
      "VALIDATION_FAILED",
      `Parent ${parentId} belongs to task ${parent.definition.task}, not ${input.task}`,
    );
  }
  if (parentId === promptVersionId(input.task, input.version)) {
    throw new AppError("VALIDATION_FAILED", `${parentId} cannot be its own parent`);
  }
  return parent;
}

function toView(version: PromptVersion, status: VersionStatusEntry): RegistryVersionView {
  return {
    id: version.id,
    task: version.definition.task,
    version: version.definition.version,
    kind: version.definition.kind,
    status: status.status,
    labels: status.labels,
    source: version.source,
    parentId: version.parentId,
    changelog: version.changelog,
    contentHash: version.contentHash,
    createdAt: new Date(version.createdAt).toISOString(),
    retiredAt: status.retiredAt === null ? null : new Date(status.retiredAt).toISOString(),
    definition: version.definition,
  };
}
