import type { GuardrailResult } from "./evaluate-guardrails.js";
import type { PrimaryMetricResult } from "./evaluate-primary-metric.js";
import type { GuardrailName } from "./rollout-policy.js";
import type { SampleRatioTestResult } from "./stats/sample-ratio-test.js";

/**
 * What the rollout service should do now.
 * - `continue`: nothing; look again later.
 * - `ramp`: move to the next stage (a larger share); counts restart from the new stage.
 * - `promote`: the candidate becomes `active`, the old version `pending_retirement`.
 * - `rollback`: the candidate is retired; control stays active.
 * - `halt`: stop the experiment and serve control only until an operator decides (the data cannot be trusted).
 */
export type RolloutAction = "continue" | "ramp" | "promote" | "rollback" | "halt";

/** Stable, machine-readable reasons; `reason` says the same for people. */
export type RolloutReasonCode =
  /** The experiment was halted earlier and waits for an operator. */
  | "halted_awaiting_operator"
  /** The observed split differs from the configured one (the sample-ratio p-value below the threshold). */
  | "sample_ratio_mismatch"
  /** At least one guardrail shows the candidate significantly worse than control. */
  | "guardrail_degraded"
  /** The stage has not run for its minimum duration yet. */
  | "minimum_duration_not_met"
  /** An arm has fewer primary-metric trials (labelled interactions, scored turns) than the minimum. */
  | "minimum_samples_not_met"
  /** A safety stage waits for the candidate's minimum exposure before its clean guardrails count. */
  | "minimum_exposure_not_met"
  /** A safety stage ran its minimum duration and exposure with no guardrail degraded (no claim of improvement). */
  | "guardrails_clean"
  /** Ready to decide, but the primary metric shows no significant improvement yet. */
  | "no_significant_difference_yet"
  /** The candidate's primary rate (errors, bad turns) is significantly lower than control's. */
  | "candidate_superior"
  /** The candidate's primary rate is significantly below control's + the non-inferiority margin. */
  | "candidate_non_inferior"
  /** Futility: the improvement the promotion needs (futilityEffect) is ruled out by the anytime-valid test. */
  | "candidate_futile"
  /** The stage reached its maximum duration with enough samples but no significant result. */
  | "inconclusive_at_maximum_duration"
  /** The stage reached its maximum duration without the minimum samples (or, in a safety stage, exposure). */
  | "samples_not_reached_at_maximum_duration";

/** Where the experiment stands in time. */
export interface StageTiming {
  index: number;
  /** The candidate's share in this stage. */
  candidateShare: number;
  hoursInStage: number;
  hoursInExperiment: number;
  minimumDurationHours: number;
  maximumDurationHours: number;
}

/** Every statistic the decision looked at, computed at every look whatever the action (for the dashboard). */
export interface DecisionStatistics {
  stage: StageTiming;
  /** Observed units per arm against the stage's split. */
  sampleRatio: SampleRatioTestResult & { observed: { control: number; candidate: number } };
  guardrails: GuardrailResult[];
  primary: PrimaryMetricResult;
}

/** The decision core's answer. */
export interface RolloutDecision {
  action: RolloutAction;
  reasonCode: RolloutReasonCode;
  /** The same reason in a sentence, with the numbers behind it. */
  reason: string;
  /** For `ramp`: the stage to move to. Null otherwise. */
  nextStage: { index: number; candidateShare: number } | null;
  /** For `rollback` on guardrails: the ones that degraded. Empty otherwise. */
  degradedGuardrails: GuardrailName[];
  statistics: DecisionStatistics;
}
