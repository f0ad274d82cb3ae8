import type { PromptDefinition } from "../../tasks/prompt-definition.js";
import type { PromptLabelName } from "../prompt-label.js";

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
  label: PromptLabelName;
  versionId: string;
  updatedAt: number;
}

/** One label move to apply. */
export interface LabelMove {
  task: string;
  label: PromptLabelName;
  /** null removes the label. */
  toVersionId: string | null;
  /**
   * The version the mover saw the label on (null: unset). When given, a label that moved meanwhile fails the whole
   * batch with the batch's conflict code and changes nothing (optimistic concurrency).
   */
  fromVersionId?: string | null;
  /** Recorded with this move instead of the batch's reason. */
  reason?: string;
  /** Why, for programs (the rollout's reason codes); absent for moves that have none. */
  reasonCode?: string;
  /** What the reason code needs to be told in any language (experiment id, the operator's words…). */
  reasonParams?: LabelMoveReasonParams;
}

/** The facts behind a label move's reason code, kept apart from the recorded sentence (the rollout fills them). */
export interface LabelMoveReasonParams {
  /** The experiment whose decision moved the label. */
  experimentId?: string;
  /** An operator moved it by hand (inside an experiment: overriding its decision). */
  byHand?: "started" | "promoted" | "rolled_back" | "retired";
  /** The operator's own words. */
  note?: string;
  /** Promoted without the evidence the rollout policy asks for. */
  withoutEvidence?: boolean;
}

/** Who moves labels, why, and what a concurrent change is called. */
export interface LabelMoveMeta {
  actor: string;
  reason: string;
  now: number;
  /** The error code when a move's `fromVersionId` no longer holds; CONFLICT by default. */
  conflictCode?: "CONFLICT" | "ROLLOUT_CONFLICT";
}

export interface RecordedLabelMove {
  id: number;
  task: string;
  label: PromptLabelName;
  fromVersionId: string | null;
  toVersionId: string | null;
  actor: string;
  /** The recorded sentence, for people (English; may quote an operator's words). */
  reason: string;
  /** The reason code; null for moves recorded before codes were stored, or made without one. */
  reasonCode: string | null;
  reasonParams: LabelMoveReasonParams | null;
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
  /**
   * Applies all moves in one transaction, recording each with its actor and reason; checks each move's
   * `fromVersionId` when given. The registry and the rollout both write labels through here.
   */
  moveLabels(moves: readonly LabelMove[], meta: LabelMoveMeta): Promise<void>;
  listMoves(task?: string): Promise<RecordedLabelMove[]>;
}
