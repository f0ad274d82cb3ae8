import { AppError } from "../../errors.js";
import type { SampleRatioMethod } from "./stats/sample-ratio-test.js";
import { currentHashVersion, hashVersions, type HashVersion } from "./unit-interval-hash.js";

/** How the candidate must compare with control on the primary metric to move on. */
export type PromotionMode = "superiority" | "non-inferiority";

/** One stage of the rollout. */
export interface RampStep {
  /** The candidate's share of units during the stage, in (0, 1]. A share of 1 means promotion. */
  share: number;
  /** The stage lasts at least this long before it may ramp or promote (guardrails act at any time). */
  minimumDurationHours: number;
}

/** When the candidate may move on, judged on the primary metric (the labelled error rate). */
export interface PromotionPolicy {
  /**
   * `superiority`: the candidate's error rate must be significantly lower than control's.
   * `non-inferiority`: it must be significantly below control's + nonInferiorityMargin (for changes made for
   * another reason, such as a shorter, faster prompt, that must not make answers worse).
   */
  mode: PromotionMode;
  /** δ for non-inferiority, in rate units (0.02 = 2 percentage points). Ignored in superiority mode. */
  nonInferiorityMargin: number;
  /** Level of the anytime-valid promotion test: the chance of promoting a candidate that is not better. */
  alpha: number;
  /** τ of the mSPRT mixture for the error-rate difference, in rate units. */
  mixtureStandardDeviation: number;
}

/** One guardrail comparing a rate between the arms. */
export interface GuardrailPolicy {
  /** Whether this guardrail can trigger a rollback (a disabled one is neither tested nor counted for alpha). */
  enabled: boolean;
  /** τ of the mSPRT mixture, in rate units: the size of degradation the test is tuned to catch fastest. */
  mixtureStandardDeviation: number;
  /**
   * Degradation tolerated before a rollback, in rate units: the test's null is "candidate − control ≤ tolerance".
   * For labelShift: how far any label's share may move in either direction.
   */
  tolerance: number;
  /** Trials needed in each arm (labelled, exposures, feedback events, requests…) before the guardrail is tested. */
  minimumTrialsPerArm: number;
}

/** The guardrails; each rolls the candidate back when it is significantly worse than control. */
export interface GuardrailPolicies {
  /** Labelled error rate, errors / labelled: the primary metric getting worse. */
  errorRate: GuardrailPolicy;
  /** Exit rate, exits / exposures: the write-up's rollback trigger (异常退出率上升). */
  exitRate: GuardrailPolicy;
  /** Negative-feedback rate, negativeFeedback / feedbackEvents. */
  negativeFeedbackRate: GuardrailPolicy;
  /** Engine error rate, engineErrors / requests (a prompt too long for the context, output that never parses…). */
  engineErrorRate: GuardrailPolicy;
  /**
   * Latency p95: the share of completed requests slower than a threshold fixed for the stage, normally control's
   * p95 before the stage. Under no change both arms sit near 5%; a slower candidate has a higher share.
   */
  slowRequestRate: GuardrailPolicy;
  /** A shift of the predicted-label distribution (classification tasks). */
  labelShift: GuardrailPolicy;
}

/** Names of the guardrails. */
export type GuardrailName = keyof GuardrailPolicies;

/** Everything the decision core needs to know about how careful to be. Snapshot it with each experiment. */
export interface RolloutPolicy {
  /** The metric promotion is judged on. The only one so far: errors / labelled. */
  primaryMetric: "labelled_error_rate";
  /** Stages in order; shares strictly increase and the last is 1 (= promotion). */
  rampSteps: readonly RampStep[];
  /** A stage that has not decided after this long ends in a rollback (keep control, the known quantity). */
  maximumStageDurationHours: number;
  /** Labelled interactions needed in each arm of a stage before it may ramp or promote. */
  minimumLabelledPerArm: number;
  promotion: PromotionPolicy;
  /** Family-wise level of all enabled guardrails together, split equally between them (Bonferroni). */
  guardrailAlpha: number;
  guardrails: GuardrailPolicies;
  /** The experiment halts when the sample-ratio test's p-value is below this. */
  sampleRatioThreshold: number;
  /**
   * How the split is checked: `chi-square` (the write-up's test, a fresh p-value at every look) or `sequential`
   * (an always-valid p-value: no false halts from looking often, but slower to flag). See sample-ratio-test.ts.
   */
  sampleRatioMethod: SampleRatioMethod;
  /** τ of the sequential sample-ratio test, in share units. */
  sampleRatioMixtureStandardDeviation: number;
  /** How long a replaced version stays `pending_retirement` (待淘汰), ready for a rollback, before `retired`. */
  retirementGracePeriodHours: number;
  /** The assignment hash version for new experiments. */
  hashVersion: HashVersion;
}

/**
 * The defaults. The write-up's rules: a canary of 10% for 72 h, updates only with enough samples, and an
 * immediate return to the last stable version when exits rise. Each number is explained in this folder's
 * README.md; the sample size and τ come from bench/rollout-simulation.ts.
 */
export const defaultRolloutPolicy: RolloutPolicy = {
  primaryMetric: "labelled_error_rate",
  rampSteps: [
    { share: 0.1, minimumDurationHours: 72 },
    { share: 0.5, minimumDurationHours: 72 },
    { share: 1, minimumDurationHours: 0 },
  ],
  maximumStageDurationHours: 14 * 24,
  minimumLabelledPerArm: 300,
  promotion: { mode: "superiority", nonInferiorityMargin: 0.02, alpha: 0.05, mixtureStandardDeviation: 0.05 },
  guardrailAlpha: 0.05,
  guardrails: {
    errorRate: { enabled: true, mixtureStandardDeviation: 0.05, tolerance: 0, minimumTrialsPerArm: 30 },
    exitRate: { enabled: true, mixtureStandardDeviation: 0.05, tolerance: 0, minimumTrialsPerArm: 30 },
    negativeFeedbackRate: {
      enabled: true,
      mixtureStandardDeviation: 0.05,
      tolerance: 0,
      minimumTrialsPerArm: 30,
    },
    engineErrorRate: {
      enabled: true,
      mixtureStandardDeviation: 0.02,
      tolerance: 0,
      minimumTrialsPerArm: 100,
    },
    slowRequestRate: {
      enabled: true,
      mixtureStandardDeviation: 0.05,
      tolerance: 0,
      minimumTrialsPerArm: 100,
    },
    labelShift: { enabled: true, mixtureStandardDeviation: 0.05, tolerance: 0.1, minimumTrialsPerArm: 100 },
  },
  sampleRatioThreshold: 0.001,
  sampleRatioMethod: "chi-square",
  sampleRatioMixtureStandardDeviation: 0.01,
  retirementGracePeriodHours: 7 * 24,
  hashVersion: currentHashVersion,
};

/** Partial settings for {@link createRolloutPolicy}; nested objects merge field by field. */
export type RolloutPolicyOverrides = Partial<Omit<RolloutPolicy, "promotion" | "guardrails">> & {
  promotion?: Partial<PromotionPolicy>;
  guardrails?: { [Name in GuardrailName]?: Partial<GuardrailPolicy> };
  /** Shortcut for the first ramp step's share (the canary share). */
  canaryShare?: number;
};

/** The default policy with `overrides` merged in, validated. Throws AppError CONFIG_INVALID on a bad value. */
export function createRolloutPolicy(overrides: RolloutPolicyOverrides = {}): RolloutPolicy {
  const { promotion, guardrails, canaryShare, ...topLevel } = overrides;
  const rampSteps = [...(topLevel.rampSteps ?? defaultRolloutPolicy.rampSteps)];
  if (canaryShare !== undefined && rampSteps[0]) rampSteps[0] = { ...rampSteps[0], share: canaryShare };
  const mergedGuardrails = { ...defaultRolloutPolicy.guardrails };
  for (const name of Object.keys(mergedGuardrails) as GuardrailName[]) {
    mergedGuardrails[name] = { ...mergedGuardrails[name], ...guardrails?.[name] };
  }
  const policy: RolloutPolicy = {
    ...defaultRolloutPolicy,
    ...topLevel,
    rampSteps,
    promotion: { ...defaultRolloutPolicy.promotion, ...promotion },
    guardrails: mergedGuardrails,
  };
  validateRolloutPolicy(policy);
  return policy;
}

/** Throws AppError CONFIG_INVALID listing every problem with `policy`. */
export function validateRolloutPolicy(policy: RolloutPolicy): void {
  const problems: string[] = [];
  const steps = policy.rampSteps;
  if (steps.length < 2)
    problems.push("rampSteps needs at least one canary step and the final step of share 1");
  steps.forEach((step, index) => {
    if (!(step.share > 0 && step.share <= 1)) problems.push(`rampSteps[${index}].share must be in (0, 1]`);
    if (index > 0 && !(step.share > steps[index - 1]!.share)) problems.push(`rampSteps shares must increase`);
    if (!(step.minimumDurationHours >= 0))
      problems.push(`rampSteps[${index}].minimumDurationHours must be >= 0`);
    if (step.minimumDurationHours > policy.maximumStageDurationHours) {
      problems.push(`rampSteps[${index}].minimumDurationHours exceeds maximumStageDurationHours`);
    }
  });
  if (steps.length > 0 && steps[steps.length - 1]!.share !== 1)
    problems.push("the last ramp step must have share 1");
  if (!(policy.maximumStageDurationHours > 0)) problems.push("maximumStageDurationHours must be > 0");
  if (!(Number.isInteger(policy.minimumLabelledPerArm) && policy.minimumLabelledPerArm >= 0)) {
    problems.push("minimumLabelledPerArm must be an integer >= 0");
  }
  checkLevel(problems, "promotion.alpha", policy.promotion.alpha);
  checkLevel(problems, "guardrailAlpha", policy.guardrailAlpha);
  checkLevel(problems, "sampleRatioThreshold", policy.sampleRatioThreshold);
  if (!["chi-square", "sequential"].includes(policy.sampleRatioMethod)) {
    problems.push("sampleRatioMethod must be chi-square or sequential");
  }
  if (!(policy.sampleRatioMixtureStandardDeviation > 0))
    problems.push("sampleRatioMixtureStandardDeviation must be > 0");
  if (!(policy.promotion.mixtureStandardDeviation > 0))
    problems.push("promotion.mixtureStandardDeviation must be > 0");
  if (!(policy.promotion.nonInferiorityMargin >= 0 && policy.promotion.nonInferiorityMargin < 1)) {
    problems.push("promotion.nonInferiorityMargin must be in [0, 1)");
  }
  for (const [name, guardrail] of Object.entries(policy.guardrails)) {
    if (!(guardrail.mixtureStandardDeviation > 0))
      problems.push(`guardrails.${name}.mixtureStandardDeviation must be > 0`);
    if (!(guardrail.tolerance >= 0 && guardrail.tolerance < 1))
      problems.push(`guardrails.${name}.tolerance must be in [0, 1)`);
    if (!(Number.isInteger(guardrail.minimumTrialsPerArm) && guardrail.minimumTrialsPerArm >= 1)) {
      problems.push(`guardrails.${name}.minimumTrialsPerArm must be an integer >= 1`);
    }
  }
  if (!(policy.retirementGracePeriodHours >= 0)) problems.push("retirementGracePeriodHours must be >= 0");
  if (!(hashVersions as readonly number[]).includes(policy.hashVersion)) problems.push("unknown hashVersion");
  if (problems.length > 0) {
    throw new AppError("CONFIG_INVALID", `Invalid rollout policy: ${problems.join("; ")}`, {
      details: { problems },
    });
  }
}

function checkLevel(problems: string[], name: string, value: number): void {
  if (!(value > 0 && value < 1)) problems.push(`${name} must be in (0, 1)`);
}
