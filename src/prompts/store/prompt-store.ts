import type { PromptDefinition } from "../../tasks/prompt-definition.js";

export type PromptSource = "file" | "human" | "analysis";

/**
 * How a version was written in the registry file it was imported from, when that differs from the canonical
 * form, so that `prompts export` writes it back the same way. Presentation only: not part of the content hash.
 */
export interface YamlEntryShape {
  /** The file wrote `system_prompt:` instead of `system:`. */
  systemKey?: "system_prompt";
  /** The file wrote the changelog as a text (stored as `{summary}`). */
  changelog?: "text";
  /** The status name the file used when it was not the English one, e.g. 待淘汰. */
  statusName?: string;
}

/** An immutable, stored prompt version. */
export interface PromptVersion {
  /** `<task>@<version>` */
  id: string;
  definition: PromptDefinition;
  contentHash: string;
  parentId: string | null;
  source: PromptSource;
  /** What changed and why, with evidence (free-form JSON; analysis puts its report id here). */
  changelog: Record<string, unknown>;
  createdAt: number;
  /** Set when the version came from a registry file written in a non-canonical shape. */
  yamlShape?: YamlEntryShape;
}

/** A movable pointer from a task's label (active, canary, …) to one version. */
export interface PromptLabel {
  task: string;
  label: string;
  versionId: string;
  updatedAt: number;
}

export interface LabelMove {
  task: string;
  label: string;
  /** null removes the label. */
  toVersionId: string | null;
}

export interface RecordedLabelMove extends LabelMove {
  id: number;
  fromVersionId: string | null;
  actor: string;
  reason: string;
  createdAt: number;
}

export interface NewPromptVersion {
  definition: PromptDefinition;
  parentId?: string | null;
  source: PromptSource;
  changelog?: Record<string, unknown>;
  createdAt: number;
  yamlShape?: YamlEntryShape;
}

/** Versions never change; labels move between them, and every move is recorded. */
export interface PromptStore {
  /**
   * Stores a version. Saving the same content under the same id again is a no-op (`created: false`);
   * different content under an existing id fails with PROMPT_VERSION_CONFLICT.
   */
  saveVersion(version: NewPromptVersion): Promise<{ version: PromptVersion; created: boolean }>;
  getVersion(id: string): Promise<PromptVersion | undefined>;
  listVersions(task?: string): Promise<PromptVersion[]>;
  listLabels(task?: string): Promise<PromptLabel[]>;
  /** Applies all moves in one transaction, recording each with its actor and reason. */
  moveLabels(moves: LabelMove[], meta: { actor: string; reason: string; now: number }): Promise<void>;
  listMoves(task?: string): Promise<RecordedLabelMove[]>;
}
