import type { PrimaryMetric, PromotionMode, RolloutPolicy } from "./rollout-policy.js";
import type { ArmStatistics, StageArms } from "./rollout-state.js";
import {
  sequentialDifferenceTest,
  type ProportionCounts,
  type SequentialDifferenceTestResult,
} from "./stats/sequential-difference-test.js";
import { wilsonInterval, type RateInterval } from "../../statistics/wilson-interval.js";

/** How each primary metric reads its counts from an arm (lower is better for both). */
export const primaryMetricCounts: Record<PrimaryMetric, (arm: ArmStatistics) => ProportionCounts> = {
  labelled_error_rate: (arm) => ({ events: arm.errors, trials: arm.labelled }),
  bad_turn_rate: (arm) => ({ events: arm.badTurns ?? 0, trials: arm.scoredTurns ?? 0 }),
};

/** The primary metric's comparison at one look. */
export interface PrimaryMetricResult {
  metric: PrimaryMetric;
  mode: PromotionMode;
  alpha: number;
  /** Each arm's rate (errors / labelled, or bad / scored turns) with its 95% Wilson interval, for display. */
  controlRate: RateInterval;
  candidateRate: RateInterval;
  /** The metric's trials per arm (labelled interactions, or scored turns), and the minimum each needs. */
  trials: { control: number; candidate: number; minimumPerArm: number };
  /** Both arms have at least the minimum trials. */
  samplesMet: boolean;
  /**
   * The one-sided test "candidate − control < nullDifference": nullDifference 0 for superiority, +margin for
   * non-inferiority.
   */
  test: SequentialDifferenceTestResult;
  /** The test rejects its null: the candidate is better (or non-inferior). Acted on only once samplesMet. */
  candidateQualifies: boolean;
  /**
   * The futility test "candidate − control > nullDifference − futilityEffect": rejecting it rules out an
   * improvement of futilityEffect or more. Null when the policy has no futility stop.
   */
  futilityTest: SequentialDifferenceTestResult | null;
  /** The futility test rejects: the improvement the promotion needs is ruled out. Acted on once samplesMet. */
  futile: boolean;
}

/** Compares the candidate's primary metric with control's, for promotion and futility. */
export function evaluatePrimaryMetric(
  arms: StageArms,
  policy: RolloutPolicy,
  withConfidenceSequence = true,
): PrimaryMetricResult {
  const { promotion } = policy;
  const counts = primaryMetricCounts[policy.primaryMetric];
  const control = counts(arms.control);
  const candidate = counts(arms.candidate);
  const nullDifference = promotion.mode === "non-inferiority" ? promotion.nonInferiorityMargin : 0;
  const common = {
    control,
    candidate,
    mixtureStandardDeviation: promotion.mixtureStandardDeviation,
    withConfidenceSequence,
  };
  const test = sequentialDifferenceTest({
    ...common,
    nullDifference,
    alternative: "less",
    alpha: promotion.alpha,
  });
  const futilityTest =
    promotion.futilityEffect > 0
      ? sequentialDifferenceTest({
          ...common,
          nullDifference: nullDifference - promotion.futilityEffect,
          alternative: "greater",
          alpha: promotion.futilityAlpha,
        })
      : null;
  return {
    metric: policy.primaryMetric,
    mode: promotion.mode,
    alpha: promotion.alpha,
    controlRate: wilsonInterval(control.events, control.trials),
    candidateRate: wilsonInterval(candidate.events, candidate.trials),
    trials: {
      control: control.trials,
      candidate: candidate.trials,
      minimumPerArm: policy.minimumLabelledPerArm,
    },
    samplesMet: Math.min(control.trials, candidate.trials) >= policy.minimumLabelledPerArm,
    test,
    candidateQualifies: test.rejectsNull,
    futilityTest,
    futile: futilityTest?.rejectsNull ?? false,
  };
}
