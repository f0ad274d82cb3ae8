import type { PromotionMode, RolloutPolicy } from "./rollout-policy.js";
import type { StageArms } from "./rollout-state.js";
import {
  sequentialDifferenceTest,
  type SequentialDifferenceTestResult,
} from "./stats/sequential-difference-test.js";
import { wilsonInterval, type RateInterval } from "../../statistics/wilson-interval.js";

/** The primary metric's comparison at one look. */
export interface PrimaryMetricResult {
  metric: "labelled_error_rate";
  mode: PromotionMode;
  alpha: number;
  /** Each arm's error rate with its 95% Wilson interval (for display; decisions use the test). */
  controlErrorRate: RateInterval;
  candidateErrorRate: RateInterval;
  /** Labelled interactions per arm, and the minimum each needs. */
  labelled: { control: number; candidate: number; minimumPerArm: number };
  /** Both arms have at least the minimum labelled interactions. */
  samplesMet: boolean;
  /**
   * The one-sided test "candidate − control < nullDifference": nullDifference 0 for superiority, +margin for
   * non-inferiority.
   */
  test: SequentialDifferenceTestResult;
  /** The test rejects its null: the candidate is better (or non-inferior). Acted on only once samplesMet. */
  candidateQualifies: boolean;
}

/** Compares the candidate's labelled error rate with control's, for promotion. */
export function evaluatePrimaryMetric(
  arms: StageArms,
  policy: RolloutPolicy,
  withConfidenceSequence = true,
): PrimaryMetricResult {
  const { promotion } = policy;
  const control = { events: arms.control.errors, trials: arms.control.labelled };
  const candidate = { events: arms.candidate.errors, trials: arms.candidate.labelled };
  const test = sequentialDifferenceTest({
    control,
    candidate,
    nullDifference: promotion.mode === "non-inferiority" ? promotion.nonInferiorityMargin : 0,
    alternative: "less",
    mixtureStandardDeviation: promotion.mixtureStandardDeviation,
    alpha: promotion.alpha,
    withConfidenceSequence,
  });
  return {
    metric: policy.primaryMetric,
    mode: promotion.mode,
    alpha: promotion.alpha,
    controlErrorRate: wilsonInterval(control.events, control.trials),
    candidateErrorRate: wilsonInterval(candidate.events, candidate.trials),
    labelled: {
      control: control.trials,
      candidate: candidate.trials,
      minimumPerArm: policy.minimumLabelledPerArm,
    },
    samplesMet: Math.min(control.trials, candidate.trials) >= policy.minimumLabelledPerArm,
    test,
    candidateQualifies: test.rejectsNull,
  };
}
