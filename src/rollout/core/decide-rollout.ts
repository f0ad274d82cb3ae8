import { AppError } from "../../errors.js";
import { evaluateGuardrails, type GuardrailResult } from "./evaluate-guardrails.js";
import { evaluatePrimaryMetric } from "./evaluate-primary-metric.js";
import { describeComparison, formatPoints, formatPValue, formatRate } from "./format-rates.js";
import type { DecisionStatistics, RolloutDecision, StageTiming } from "./rollout-decision.js";
import type { GuardrailName, RolloutPolicy } from "./rollout-policy.js";
import type { RolloutState, StageArms } from "./rollout-state.js";
import { sampleRatioTest } from "./stats/sample-ratio-test.js";
import { validateRolloutInput } from "./validate-rollout-input.js";

/** Input of {@link decideRollout}. */
export interface DecideRolloutOptions {
  /** The experiment; must be `running` or `halted`. */
  state: RolloutState;
  /** Both arms' counts since `state.stageStartedAt`. */
  arms: StageArms;
  /** The policy snapshotted when the experiment started. */
  policy: RolloutPolicy;
  /** The time of this look, epoch milliseconds: the core reads no clock. */
  now: number;
  /**
   * Compute every test's confidence sequence for display (default true). Simulations that run hundreds of
   * thousands of looks turn it off; decisions are identical either way.
   */
  confidenceSequences?: boolean;
}

const hour = 3_600_000;

const guardrailLabels: Record<GuardrailName, string> = {
  errorRate: "labelled error rate",
  exitRate: "exit rate",
  negativeFeedbackRate: "negative-feedback rate",
  engineErrorRate: "engine error rate",
  slowRequestRate: "share of requests slower than the latency threshold (p95)",
  labelShift: "predicted-label distribution",
};

/**
 * The pure rollout decision: given the experiment, the current stage's counts, the policy and the time, what to
 * do and why. Checks run in this order, the first that fires deciding:
 * 1. sample-ratio mismatch → halt (nothing else can be trusted);
 * 2. any guardrail significantly worse → rollback (at any time: harm is not made to wait for the minimums);
 * 3. minimum stage duration and labelled samples met, and the candidate significantly better (or non-inferior)
 *    → ramp to the next step, or promote when the next step is 100%;
 * 4. the stage's maximum duration reached → rollback, keeping the known control (inconclusive);
 * 5. otherwise → continue, saying what is still missing.
 * Every statistic is computed at every look and returned with the decision.
 */
export function decideRollout(options: DecideRolloutOptions): RolloutDecision {
  const { state, arms, policy, now } = options;
  if (state.status === "promoted" || state.status === "rolled_back") {
    throw new AppError("ROLLOUT_CONFLICT", `Experiment ${state.experimentId} is already ${state.status}`);
  }
  validateRolloutInput(state, arms, policy, now);
  const step = policy.rampSteps[state.stageIndex]!;
  const stage: StageTiming = {
    index: state.stageIndex,
    candidateShare: step.share,
    hoursInStage: (now - state.stageStartedAt) / hour,
    hoursInExperiment: (now - state.startedAt) / hour,
    minimumDurationHours: step.minimumDurationHours,
    maximumDurationHours: policy.maximumStageDurationHours,
  };
  const observed = { control: arms.control.assignedUnits, candidate: arms.candidate.assignedUnits };
  const sampleRatio = {
    ...sampleRatioTest({
      observed: [observed.control, observed.candidate],
      expectedShares: [1 - step.share, step.share],
      threshold: policy.sampleRatioThreshold,
      // Policies stored before these settings existed keep the write-up's chi-square test.
      method: policy.sampleRatioMethod ?? "chi-square",
      mixtureStandardDeviation: policy.sampleRatioMixtureStandardDeviation ?? 0.01,
    }),
    observed,
  };
  const withConfidenceSequence = options.confidenceSequences !== false;
  const guardrails = evaluateGuardrails(arms, policy, withConfidenceSequence);
  const primary = evaluatePrimaryMetric(arms, policy, withConfidenceSequence);
  const statistics: DecisionStatistics = { stage, sampleRatio, guardrails, primary };
  const decision = (
    action: RolloutDecision["action"],
    reasonCode: RolloutDecision["reasonCode"],
    reason: string,
    extra: Partial<Pick<RolloutDecision, "nextStage" | "degradedGuardrails">> = {},
  ): RolloutDecision => ({
    action,
    reasonCode,
    reason,
    nextStage: null,
    degradedGuardrails: [],
    statistics,
    ...extra,
  });

  if (state.status === "halted") {
    return decision(
      "halt",
      "halted_awaiting_operator",
      "Halted earlier; serving control until an operator acts.",
    );
  }
  if (sampleRatio.mismatch) {
    const total = observed.control + observed.candidate;
    return decision(
      "halt",
      "sample_ratio_mismatch",
      `Halted on a sample-ratio mismatch: the candidate has ${observed.candidate} of ${total} units ` +
        `(${formatRate(observed.candidate / total)}) where ${formatRate(step.share)} is expected ` +
        `(χ² = ${sampleRatio.statistic.toFixed(1)}, ${sampleRatio.method === "sequential" ? "always-valid " : ""}` +
        `p = ${formatPValue(sampleRatio.pValue)} < ` +
        `${policy.sampleRatioThreshold}). Assignment or logging is broken, so no comparison can be trusted.`,
    );
  }
  const degraded = guardrails.filter((guardrail) => guardrail.status === "degraded");
  if (degraded.length > 0) {
    return decision(
      "rollback",
      "guardrail_degraded",
      `Rolled back: ${degraded.map(describeDegradation).join("; ")}.`,
      {
        degradedGuardrails: degraded.map((guardrail) => guardrail.name),
      },
    );
  }

  const durationMet = stage.hoursInStage >= step.minimumDurationHours;
  const { labelled } = primary;
  if (durationMet && primary.samplesMet && primary.candidateQualifies) {
    const evidence =
      primary.mode === "superiority"
        ? `the candidate's labelled error rate is significantly lower: ${describeComparison(primary.test)}`
        : `the candidate's labelled error rate is significantly less than ${formatPoints(primary.test.nullDifference)} ` +
          `above control's (non-inferiority margin): ${describeComparison(primary.test)}`;
    const reasonCode = primary.mode === "superiority" ? "candidate_superior" : "candidate_non_inferior";
    const next = policy.rampSteps[state.stageIndex + 1];
    if (next && next.share < 1) {
      return decision("ramp", reasonCode, `Ramping to ${formatRate(next.share)}: ${evidence}.`, {
        nextStage: { index: state.stageIndex + 1, candidateShare: next.share },
      });
    }
    return decision("promote", reasonCode, `Promoting the candidate: ${evidence}.`);
  }
  if (stage.hoursInStage >= policy.maximumStageDurationHours) {
    return primary.samplesMet
      ? decision(
          "rollback",
          "inconclusive_at_maximum_duration",
          `Rolled back as inconclusive: after ${formatHours(stage.hoursInStage)} the candidate is not significantly ` +
            `better: ${describeComparison(primary.test)}. Keeping the known control.`,
        )
      : decision(
          "rollback",
          "samples_not_reached_at_maximum_duration",
          `Rolled back: after ${formatHours(stage.hoursInStage)} the arms have ${labelled.control} and ` +
            `${labelled.candidate} labelled interactions, short of ${labelled.minimumPerArm} each. Keeping the known control.`,
        );
  }
  if (!durationMet) {
    return decision(
      "continue",
      "minimum_duration_not_met",
      `Waiting: the stage has run ${formatHours(stage.hoursInStage)} of its minimum ${formatHours(step.minimumDurationHours)}.`,
    );
  }
  if (!primary.samplesMet) {
    return decision(
      "continue",
      "minimum_samples_not_met",
      `Waiting for labelled samples: control ${labelled.control}, candidate ${labelled.candidate}, ` +
        `minimum ${labelled.minimumPerArm} per arm.`,
    );
  }
  return decision(
    "continue",
    "no_significant_difference_yet",
    `No significant difference yet: ${describeComparison(primary.test)}; need p ≤ ${primary.alpha}.`,
  );
}

function describeDegradation(guardrail: GuardrailResult): string {
  const name = guardrailLabels[guardrail.name];
  if (guardrail.name !== "labelShift") {
    const test = guardrail.test!;
    const beyond =
      test.nullDifference > 0 ? ` beyond the ${formatPoints(test.nullDifference)} tolerance` : "";
    return `${name} worse${beyond}: ${describeComparison(test)} ≤ ${formatPValue(guardrail.alpha)}`;
  }
  const shifted = guardrail.test!.labels.filter((label) => label.shifted);
  return (
    `${name} shifted: ${shifted
      .map(
        ({ label, test }) =>
          `"${label}" ${formatRate(test.candidateRate)} vs ${formatRate(test.controlRate)}`,
      )
      .join(
        ", ",
      )} (beyond ±${(Math.abs(guardrail.test!.labels[0]!.test.nullDifference) * 100).toFixed(0)} pts, ` +
    `p = ${formatPValue(guardrail.test!.pValue)} ≤ ${formatPValue(guardrail.alpha)})`
  );
}

function formatHours(hours: number): string {
  return `${hours.toFixed(1)} h`;
}
