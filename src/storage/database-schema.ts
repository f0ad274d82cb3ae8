import type { ColumnType, Generated } from "kysely";

/** Timestamps are epoch milliseconds (integers), portable between SQLite and PostgreSQL (bigint). */
type Millis = number;

export interface PromptVersionsTable {
  /** `<task>@<version>`, e.g. `sentiment@v1`. */
  id: string;
  task: string;
  version: string;
  kind: "classifier" | "generator";
  /** SHA-256 of the canonical JSON of the definition: the same text gives the same version. */
  content_hash: string;
  /** Canonical JSON of the {@link PromptDefinition} (system prompt, labels, params, few-shot, retrieval). */
  definition: string;
  parent_id: string | null;
  /** `file` (loaded from PROMPTS_DIR), `human` (admin API/CLI) or `analysis` (the analysis job). */
  source: string;
  /** JSON: what changed and why, with evidence (e.g. an analysis report id). */
  changelog: string;
  created_at: Millis;
}

export interface PromptLabelsTable {
  task: string;
  /** `active`, `canary`, `pending_retirement`, `retired` ... A label points at exactly one version per task. */
  label: string;
  version_id: string;
  updated_at: Millis;
}

export interface PromptLabelMovesTable {
  id: Generated<number>;
  task: string;
  label: string;
  from_version_id: string | null;
  to_version_id: string | null;
  actor: string;
  reason: string;
  created_at: Millis;
}

export interface InteractionsTable {
  id: string;
  task: string;
  prompt_version_id: string;
  /** The interaction this one answers (the reply of an all-in-one turn points at its sentiment). */
  parent_id: string | null;
  session_hash: string | null;
  user_hash: string | null;
  /** Input with obvious personal data (e-mail, phone and ID numbers) masked. */
  input: string;
  output: string | null;
  label: string | null;
  confidence: number | null;
  latency_ms: number | null;
  /** `ok`, `error` or `cancelled`. */
  status: string;
  error_code: string | null;
  /** Experiment arm when the request took part in a rollout (`control`/`candidate`). */
  experiment_id: string | null;
  arm: string | null;
  created_at: Millis;
  completed_at: Millis | null;
}

export interface FeedbackEventsTable {
  /** Monotonic: the analysis job's watermark. */
  id: Generated<number>;
  interaction_id: string;
  type: string;
  /** JSON of the type-specific fields. */
  payload: string;
  session_hash: string | null;
  created_at: Millis;
}

export interface MetaTable {
  key: string;
  value: string;
  updated_at: ColumnType<Millis, Millis, Millis>;
}

export interface Database {
  prompt_versions: PromptVersionsTable;
  prompt_labels: PromptLabelsTable;
  prompt_label_moves: PromptLabelMovesTable;
  interactions: InteractionsTable;
  feedback_events: FeedbackEventsTable;
  meta: MetaTable;
}
