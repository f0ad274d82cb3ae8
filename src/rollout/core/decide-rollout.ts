import { AppError } from "../../errors.js";
import {
  describeDegradation,
  describeFutility,
  describePromotionEvidence,
  formatHours,
  metricWords,
} from "./describe-decision.js";
import { evaluateGuardrails } from "./evaluate-guardrails.js";
import { evaluatePrimaryMetric } from "./evaluate-primary-metric.js";
import { describeComparison, formatPValue, formatRate } from "./format-rates.js";
import type { DecisionStatistics, RolloutDecision, StageTiming } from "./rollout-decision.js";
import { withLegacyDefaults, type RampStep, type RolloutPolicy } from "./rollout-policy.js";
import type { RolloutState, StageArms } from "./rollout-state.js";
import { sampleRatioTest } from "./stats/sample-ratio-test.js";
import { validateRolloutInput } from "./validate-rollout-input.js";

/** Input of {@link decideRollout}. */
export interface DecideRolloutOptions {
  /** The experiment; must be `running` or `halted`. */
  state: RolloutState;
  /** Both arms' counts since `state.stageStartedAt`. */
  arms: StageArms;
  /** The policy snapshotted when the experiment started (older snapshots are completed: withLegacyDefaults). */
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

type Decide = (
  action: RolloutDecision["action"],
  reasonCode: RolloutDecision["reasonCode"],
  reason: string,
  extra?: Partial<Pick<RolloutDecision, "nextStage" | "degradedGuardrails">>,
) => RolloutDecision;

/**
 * The pure rollout decision: given the experiment, the current stage's counts, the policy and the time, what to
 * do and why. Checks run in this order, the first that fires deciding:
 * 1. sample-ratio mismatch → halt (nothing else can be trusted);
 * 2. any guardrail significantly worse → rollback (at any time: harm is not made to wait for the minimums);
 * 3. the stage's gate passed → ramp to the next step, or promote when the next step is 100%:
 *    - `guardrails` (a safety stage): minimum duration and minimum candidate exposure, guardrails clean;
 *    - `significance`: minimum duration and samples, and the candidate significantly better (or non-inferior);
 * 4. `significance` stage with its minimums met and the futility test rejecting → rollback (futile);
 * 5. the stage's maximum duration reached → rollback, keeping the known control (inconclusive);
 * 6. otherwise → continue, saying what is still missing.
 * Every statistic is computed at every look and returned with the decision.
 */
export function decideRollout(options: DecideRolloutOptions): RolloutDecision {
  const { state, arms, now } = options;
  if (state.status === "promoted" || state.status === "rolled_back") {
    throw new AppError("ROLLOUT_CONFLICT", `Experiment ${state.experimentId} is already ${state.status}`);
  }
  const policy = withLegacyDefaults(options.policy);
  validateRolloutInput(state, arms, policy, now);
  const step = policy.rampSteps[state.stageIndex]!;
  const statistics = computeStatistics(options, policy, step);
  const decision: Decide = (action, reasonCode, reason, extra = {}) => ({
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
  const { sampleRatio, guardrails } = statistics;
  if (sampleRatio.mismatch) {
    const { observed } = sampleRatio;
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
      { degradedGuardrails: degraded.map((guardrail) => guardrail.name) },
    );
  }
  return step.gate === "guardrails"
    ? decideSafetyStage(state, policy, step, statistics, decision)
    : decideSignificanceStage(state, policy, step, statistics, decision);
}

function computeStatistics(
  options: DecideRolloutOptions,
  policy: RolloutPolicy,
  step: RampStep,
): DecisionStatistics {
  const { state, arms, now } = options;
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
      method: policy.sampleRatioMethod,
      concentration: policy.sampleRatioConcentration,
    }),
    observed,
  };
  const withConfidenceSequence = options.confidenceSequences !== false;
  const guardrails = evaluateGuardrails(arms, policy, withConfidenceSequence);
  const primary = evaluatePrimaryMetric(arms, policy, withConfidenceSequence);
  return { stage, sampleRatio, guardrails, primary };
}

/** Ramps (or promotes) when the next step is reached, with the evidence in the reason. */
function moveOn(
  state: RolloutState,
  policy: RolloutPolicy,
  reasonCode: RolloutDecision["reasonCode"],
  evidence: string,
  decision: Decide,
): RolloutDecision {
  const next = policy.rampSteps[state.stageIndex + 1];
  if (next && next.share < 1) {
    return decision("ramp", reasonCode, `Ramping to ${formatRate(next.share)}: ${evidence}.`, {
      nextStage: { index: state.stageIndex + 1, candidateShare: next.share },
    });
  }
  return decision("promote", reasonCode, `Promoting the candidate: ${evidence}.`);
}

/** A `guardrails` stage: passed on time and exposure with clean guardrails; it never judges improvement. */
function decideSafetyStage(
  state: RolloutState,
  policy: RolloutPolicy,
  step: RampStep,
  statistics: DecisionStatistics,
  decision: Decide,
): RolloutDecision {
  const { stage, primary, guardrails } = statistics;
  const words = metricWords[primary.metric];
  const exposure = primary.trials.candidate;
  const durationMet = stage.hoursInStage >= step.minimumDurationHours;
  const exposureMet = exposure >= step.minimumCandidateTrials;
  if (durationMet && exposureMet) {
    const tested = guardrails.filter((guardrail) => guardrail.status === "ok").length;
    return moveOn(
      state,
      policy,
      "guardrails_clean",
      `the ${formatRate(step.share)} stage ran ${formatHours(stage.hoursInStage)} (minimum ` +
        `${formatHours(step.minimumDurationHours)}) with ${exposure} candidate ${words.trials} (minimum ` +
        `${step.minimumCandidateTrials}) and no guardrail degraded (${tested} tested); this stage makes no claim ` +
        `that the candidate is better`,
      decision,
    );
  }
  if (stage.hoursInStage >= policy.maximumStageDurationHours) {
    return decision(
      "rollback",
      "samples_not_reached_at_maximum_duration",
      `Rolled back: after ${formatHours(stage.hoursInStage)} the candidate has ${exposure} ${words.trials}, ` +
        `short of the ${step.minimumCandidateTrials} this stage needs to judge its guardrails. Keeping the known control.`,
    );
  }
  if (!durationMet) return waitForDuration(stage, decision);
  return decision(
    "continue",
    "minimum_exposure_not_met",
    `Waiting for exposure: the candidate has ${exposure} ${words.trials} of the ${step.minimumCandidateTrials} ` +
      `this stage needs before its clean guardrails count.`,
  );
}

/** A `significance` stage: passed when the candidate is significantly better (or non-inferior). */
function decideSignificanceStage(
  state: RolloutState,
  policy: RolloutPolicy,
  step: RampStep,
  statistics: DecisionStatistics,
  decision: Decide,
): RolloutDecision {
  const { stage, primary } = statistics;
  const words = metricWords[primary.metric];
  const durationMet = stage.hoursInStage >= step.minimumDurationHours;
  const { trials } = primary;
  if (durationMet && primary.samplesMet && primary.candidateQualifies) {
    const reasonCode = primary.mode === "superiority" ? "candidate_superior" : "candidate_non_inferior";
    return moveOn(state, policy, reasonCode, describePromotionEvidence(primary), decision);
  }
  if (durationMet && primary.samplesMet && primary.futile) {
    return decision("rollback", "candidate_futile", describeFutility(primary));
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
          `Rolled back: after ${formatHours(stage.hoursInStage)} the arms have ${trials.control} and ` +
            `${trials.candidate} ${words.trials}, short of ${trials.minimumPerArm} each. Keeping the known control.`,
        );
  }
  if (!durationMet) return waitForDuration(stage, decision);
  if (!primary.samplesMet) {
    return decision(
      "continue",
      "minimum_samples_not_met",
      `Waiting for ${words.samples}: control ${trials.control}, candidate ${trials.candidate}, ` +
        `minimum ${trials.minimumPerArm} per arm.`,
    );
  }
  return decision(
    "continue",
    "no_significant_difference_yet",
    `No significant difference yet: ${describeComparison(primary.test)}; need p ≤ ${primary.alpha}.`,
  );
}

function waitForDuration(stage: StageTiming, decision: Decide): RolloutDecision {
  return decision(
    "continue",
    "minimum_duration_not_met",
    `Waiting: the stage has run ${formatHours(stage.hoursInStage)} of its minimum ${formatHours(stage.minimumDurationHours)}.`,
  );
}
