import type { GuardrailName, GuardrailPolicy, RolloutPolicy } from "./rollout-policy.js";
import type { ArmStatistics, StageArms } from "./rollout-state.js";
import { labelShiftTest, type LabelShiftTestResult } from "./stats/label-shift-test.js";
import {
  sequentialDifferenceTest,
  type ProportionCounts,
  type SequentialDifferenceTestResult,
} from "./stats/sequential-difference-test.js";

/**
 * `degraded`: significantly worse than control (rollback). `ok`: tested, no evidence of harm.
 * `insufficient_data`: an arm has fewer trials than the guardrail's minimum, or too few expected events (see
 * {@link minimumExpectedEvents}). `disabled`: switched off in the policy. `not_applicable`: the task's kind has
 * no such data (labels for a generator); like a disabled guardrail it takes no share of the alpha.
 */
export type GuardrailStatus = "ok" | "degraded" | "insufficient_data" | "disabled" | "not_applicable";

/** The names of the guardrails that compare one rate between the arms. */
export type RateGuardrailName = Exclude<GuardrailName, "labelShift">;

/** The outcome of a rate guardrail. */
export interface RateGuardrailResult {
  name: RateGuardrailName;
  status: GuardrailStatus;
  /** This guardrail's share of the policy's guardrailAlpha. */
  alpha: number;
  /** Trials (denominator) in each arm. */
  trials: { control: number; candidate: number };
  /** The one-sided test "candidate − control > tolerance"; null when disabled or short of data. */
  test: SequentialDifferenceTestResult | null;
}

/** The outcome of the label-distribution guardrail. */
export interface LabelShiftGuardrailResult {
  name: "labelShift";
  status: GuardrailStatus;
  alpha: number;
  trials: { control: number; candidate: number };
  test: LabelShiftTestResult | null;
}

/** One guardrail's outcome. */
export type GuardrailResult = RateGuardrailResult | LabelShiftGuardrailResult;

/** How each rate guardrail reads its counts from an arm. */
export const guardrailRates: Record<RateGuardrailName, (arm: ArmStatistics) => ProportionCounts> = {
  errorRate: (arm) => ({ events: arm.errors, trials: arm.labelled }),
  exitRate: (arm) => ({ events: arm.exits, trials: arm.exposures }),
  negativeFeedbackRate: (arm) => ({ events: arm.negativeFeedback, trials: arm.feedbackEvents }),
  engineErrorRate: (arm) => ({ events: arm.engineErrors, trials: arm.requests }),
  slowRequestRate: (arm) => ({ events: arm.slowRequests, trials: arm.requests - arm.engineErrors }),
  badTurnRate: (arm) => ({ events: arm.badTurns ?? 0, trials: arm.scoredTurns ?? 0 }),
};

/** Guardrails that need labels, which a generator (primary metric `bad_turn_rate`) does not have. */
const labelGuardrails: ReadonlySet<GuardrailName> = new Set(["errorRate", "labelShift"]);

/** Whether the guardrail is enabled and its data exists for the policy's kind of task. */
export function guardrailApplies(name: GuardrailName, policy: RolloutPolicy): boolean {
  if (!policy.guardrails[name].enabled) return false;
  return !(policy.primaryMetric === "bad_turn_rate" && labelGuardrails.has(name));
}

/**
 * A rate guardrail is tested only once every cell of its 2×2 table (arm × event) expects at least this many
 * trials at the pooled rate (Cochran's rule). Rare events such as engine failures at 0.5% are far from Gaussian
 * in small arms: in 4,000 simulated A/A canaries (10%, 250 requests an hour, hourly looks for 14 days) the
 * engine-error guardrail fired in 1.9% of them without this rule, against the 0.83% its alpha allows, and in
 * 0.47% with it. A candidate that fails often raises the pooled rate itself, so it is still caught quickly.
 */
export const minimumExpectedEvents = 5;

/** The guardrails in the order they are reported. */
export const guardrailNames: readonly GuardrailName[] = [
  "errorRate",
  "exitRate",
  "negativeFeedbackRate",
  "engineErrorRate",
  "slowRequestRate",
  "labelShift",
  "badTurnRate",
];

/**
 * Tests every applicable guardrail: is the candidate significantly worse than control, beyond the guardrail's
 * tolerance? Each uses the anytime-valid mSPRT, so checking at every look keeps the family-wise false-rollback
 * rate of one stage at most guardrailAlpha (Bonferroni over the applicable guardrails, fixed by the policy).
 */
export function evaluateGuardrails(
  arms: StageArms,
  policy: RolloutPolicy,
  withConfidenceSequence = true,
): GuardrailResult[] {
  const applicable = guardrailNames.filter((name) => guardrailApplies(name, policy)).length;
  const alpha = applicable === 0 ? 0 : policy.guardrailAlpha / applicable;
  return guardrailNames.map((name) => {
    if (policy.guardrails[name].enabled && !guardrailApplies(name, policy)) return notApplicable(name, arms);
    return name === "labelShift"
      ? evaluateLabelShift(arms, policy.guardrails.labelShift, alpha, withConfidenceSequence)
      : evaluateRate(name, arms, policy.guardrails[name], alpha, withConfidenceSequence);
  });
}

function notApplicable(name: GuardrailName, arms: StageArms): GuardrailResult {
  if (name === "labelShift") {
    const trials = { control: total(arms.control.labelCounts), candidate: total(arms.candidate.labelCounts) };
    return { name, status: "not_applicable", alpha: 0, trials, test: null };
  }
  const trials = {
    control: guardrailRates[name](arms.control).trials,
    candidate: guardrailRates[name](arms.candidate).trials,
  };
  return { name, status: "not_applicable", alpha: 0, trials, test: null };
}

function evaluateRate(
  name: RateGuardrailName,
  arms: StageArms,
  guardrail: GuardrailPolicy,
  alpha: number,
  withConfidenceSequence: boolean,
): RateGuardrailResult {
  const control = guardrailRates[name](arms.control);
  const candidate = guardrailRates[name](arms.candidate);
  const trials = { control: control.trials, candidate: candidate.trials };
  if (!guardrail.enabled) return { name, status: "disabled", alpha: 0, trials, test: null };
  const pooledRate = (control.events + candidate.events) / (control.trials + candidate.trials);
  const smallestExpectedCell =
    Math.min(control.trials, candidate.trials) * Math.min(pooledRate, 1 - pooledRate);
  if (
    Math.min(control.trials, candidate.trials) < guardrail.minimumTrialsPerArm ||
    !(smallestExpectedCell >= minimumExpectedEvents)
  ) {
    return { name, status: "insufficient_data", alpha, trials, test: null };
  }
  const test = sequentialDifferenceTest({
    control,
    candidate,
    nullDifference: guardrail.tolerance,
    alternative: "greater",
    mixtureStandardDeviation: guardrail.mixtureStandardDeviation,
    alpha,
    withConfidenceSequence,
  });
  return { name, status: test.rejectsNull ? "degraded" : "ok", alpha, trials, test };
}

function evaluateLabelShift(
  arms: StageArms,
  guardrail: GuardrailPolicy,
  alpha: number,
  withConfidenceSequence: boolean,
): LabelShiftGuardrailResult {
  const trials = { control: total(arms.control.labelCounts), candidate: total(arms.candidate.labelCounts) };
  if (!guardrail.enabled) return { name: "labelShift", status: "disabled", alpha: 0, trials, test: null };
  if (Math.min(trials.control, trials.candidate) < guardrail.minimumTrialsPerArm) {
    return { name: "labelShift", status: "insufficient_data", alpha, trials, test: null };
  }
  const test = labelShiftTest({
    control: arms.control.labelCounts,
    candidate: arms.candidate.labelCounts,
    tolerance: guardrail.tolerance,
    mixtureStandardDeviation: guardrail.mixtureStandardDeviation,
    alpha,
    withConfidenceSequence,
  });
  return {
    name: "labelShift",
    status: test.shiftedLabels.length > 0 ? "degraded" : "ok",
    alpha,
    trials,
    test,
  };
}

function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
