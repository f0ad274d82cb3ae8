import type { RolloutReasonCode } from "./rollout-decision.js";

/** Every reason code the decision core gives (the RolloutReasonCode union as a list, for translations and tests). */
export const rolloutReasonCodes = [
  "halted_awaiting_operator",
  "sample_ratio_mismatch",
  "guardrail_degraded",
  "minimum_duration_not_met",
  "minimum_samples_not_met",
  "minimum_exposure_not_met",
  "guardrails_clean",
  "no_significant_difference_yet",
  "candidate_superior",
  "candidate_non_inferior",
  "candidate_futile",
  "inconclusive_at_maximum_duration",
  "samples_not_reached_at_maximum_duration",
] as const satisfies readonly RolloutReasonCode[];

// The list names every member of the union: a new code without an entry here fails to compile.
const listsEveryCode: Exclude<RolloutReasonCode, (typeof rolloutReasonCodes)[number]> extends never
  ? true
  : false = true;
void listsEveryCode;

/**
 * Every reason code a recorded rollout decision or start can carry: the core's, plus the rollout service's own
 * (starts, operator actions, the holdback after a promotion, a start refused).
 */
export const recordedReasonCodes = [
  ...rolloutReasonCodes,
  "started_automatically",
  "started_by_operator",
  "operator_override",
  "retired_by_operator",
  "holdback_clean",
  "holdback_degraded",
  "auto_start_disabled",
  "too_few_sessions",
] as const;
export type RecordedReasonCode = (typeof recordedReasonCodes)[number];

/**
 * The actor the analysis job acts as: a canary it starts (a draft that passed the replay gate) records it as
 * `startedBy`, so readers can tell that start apart and word it in their own language.
 */
export const analysisActor = "analysis";
