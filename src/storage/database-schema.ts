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
  /** JSON YamlEntryShape (src/prompts/store/prompt-store.ts): how a registry file wrote the version (null: the canonical shape). */
  yaml_shape: ColumnType<string | null, string | null | undefined, never>;
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
  /** The rollout's reason code (migration 012); null on older rows and moves without one. */
  reason_code: string | null;
  /** JSON LabelMoveReasonParams; null with reason_code. */
  reason_params: string | null;
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
  /** Identifies the event within its interaction (client eventId or content hash); NULL for events before it. */
  dedupe_key: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One DELETE /api/admin/sessions/:sessionHash: what was erased, when and by whom. */
export interface SessionErasuresTable {
  id: Generated<number>;
  session_hash: string;
  interactions: number;
  feedback_events: number;
  actor: string;
  erased_at: Millis;
}

export interface MetaTable {
  key: string;
  value: string;
  updated_at: ColumnType<Millis, Millis, Millis>;
}

export interface ExperimentsTable {
  /** Random per experiment: part of the assignment hash key, so each experiment draws a fresh canary group. */
  id: string;
  task: string;
  control_version_id: string;
  candidate_version_id: string;
  /** `running`, `halted`, `promoted` or `rolled_back` (RolloutState's ExperimentStatus). */
  status: string;
  /** Index into the snapshotted policy's rampSteps. */
  stage_index: number;
  started_at: Millis;
  stage_started_at: Millis;
  /** Control's p95 latency before the stage, the slow-request threshold; null = control's p95 in the stage. */
  latency_threshold_ms: number | null;
  /** JSON of the RolloutPolicy snapshotted when the experiment started. */
  policy: string;
  started_by: string;
  start_reason: string;
  ended_at: Millis | null;
  updated_at: Millis;
}

export interface RolloutDecisionsTable {
  id: Generated<number>;
  experiment_id: string;
  /** A RolloutAction (`continue`, `ramp`, `promote`, `rollback`, `halt`) or `start`. */
  action: string;
  reason_code: string;
  reason: string;
  /** JSON of what the decision looked at (per-arm counts and the decision core's statistics); null if none. */
  statistics: string | null;
  /** JSON of the label moves applied with the decision, in the same transaction. */
  label_moves: string;
  stage_index: number;
  /** `scheduler`, `analysis`, or the operator (`cli:<user>`, `api:<name>`). */
  actor: string;
  decided_at: Millis;
}

export interface AnalysisRunsTable {
  id: Generated<number>;
  /** Set when the run wrote its report (`DATA_DIR/reports/<report_id>.{json,md,html}`). */
  report_id: string | null;
  /** Who started it: `api`, `schedule` or `cli`. */
  trigger: string;
  /** `running` (the job's lock), `completed` or `failed`. */
  status: string;
  /** 1 when candidates were replayed through the model; only such runs move the watermark. */
  replayed: number;
  /** Hash of everything besides feedback that decides the outcome (settings, active versions). */
  fingerprint: string;
  /** Feedback event ids: the previous run's watermark, and the highest id this run saw. */
  watermark_from: number | null;
  watermark_to: number | null;
  /** JSON summary for listings: decisions per task and drafts created. */
  summary: string;
  error: string | null;
  started_at: Millis;
  /** Renewed while running; a running row with an old heartbeat is an abandoned lock. */
  heartbeat_at: Millis;
  finished_at: Millis | null;
}

export interface Database {
  prompt_versions: PromptVersionsTable;
  prompt_labels: PromptLabelsTable;
  prompt_label_moves: PromptLabelMovesTable;
  interactions: InteractionsTable;
  feedback_events: FeedbackEventsTable;
  session_erasures: SessionErasuresTable;
  meta: MetaTable;
  analysis_runs: AnalysisRunsTable;
  experiments: ExperimentsTable;
  rollout_decisions: RolloutDecisionsTable;
  job_leases: JobLeasesTable;
  retained_totals: RetainedTotalsTable;
  memory_entries: MemoryEntriesTable;
  memory_switches: MemorySwitchesTable;
  regression_sets: RegressionSetsTable;
  regression_set_items: RegressionSetItemsTable;
  regression_set_changes: RegressionSetChangesTable;
  revoked_sessions: RevokedSessionsTable;
}

/** A console session signed out before it expired (src/server/session). */
export interface RevokedSessionsTable {
  /** The session's random id, from its signed cookie. */
  id: string;
  /** When the session would have expired; the row is useless after that. */
  expires_at: Millis;
  revoked_at: Millis;
}

/** A named regression set of one task (src/triage/regression-sets). */
export interface RegressionSetsTable {
  id: string;
  task: string;
  /** Unique per task. */
  name: string;
  created_by: string;
  created_at: ColumnType<Millis, Millis, Millis>;
  updated_at: ColumnType<Millis, Millis, Millis>;
}

export interface RegressionSetItemsTable {
  set_id: string;
  interaction_id: string;
  /** The label the interaction's input must get. */
  expected_label: string;
  /** `correction` (the user's), `inferred` (from 👎 on a two-label task) or `operator` (set by hand). */
  expected_source: string;
  added_by: string;
  added_at: ColumnType<Millis, Millis, Millis>;
}

/** The audit log of the sets: who did what, when. Kept after the set is deleted. */
export interface RegressionSetChangesTable {
  id: Generated<number>;
  set_id: string;
  /** `create`, `rename`, `delete`, `add`, `relabel` or `remove`. */
  action: string;
  interaction_id: string | null;
  /** JSON: e.g. the old and new name, the expected label. */
  detail: string;
  actor: string;
  created_at: ColumnType<Millis, Millis, Millis>;
}

export interface MemoryEntriesTable {
  id: string;
  /** Salted hash of the session id or the app's userId. */
  owner_hash: string;
  key: string;
  /** Which preference, for `preference` and `allergy` entries; "" otherwise. */
  subject: string;
  text: string;
  source_interaction_id: string | null;
  created_at: ColumnType<Millis, Millis, Millis>;
  expires_at: ColumnType<Millis, Millis, Millis>;
  last_used_at: ColumnType<Millis | null, Millis | null, Millis | null>;
  uses: number;
}

export interface MemorySwitchesTable {
  owner_hash: string;
  /** 1 = on, 0 = off. */
  enabled: number;
  updated_at: ColumnType<Millis, Millis, Millis>;
}

export interface RetainedTotalsTable {
  /** UTC day of the interactions, `YYYY-MM-DD`. */
  day: string;
  task: string;
  prompt_version_id: string;
  /** `interactions`, `status:<status>` or `feedback:<type>`. */
  measure: string;
  count: number;
}

export interface JobLeasesTable {
  /** The scheduled job: `analysis`, `rollout`, `retention`. */
  job: string;
  /** The replica that claimed the latest tick (`host:pid:random`). */
  holder: string;
  /** The cron tick claimed (epoch ms, the scheduled second): each tick is claimed once across the fleet. */
  tick_at: Millis;
  /** Renewed while the job runs; a holder that stops renewing (killed) loses it at the next tick. */
  lease_until: Millis;
  /** Set when the holder finished; null while running (or when it died). */
  finished_at: Millis | null;
}
