import type { SampleRatioMethod } from "./stats/sample-ratio-test.js";
import type { HashVersion } from "./unit-interval-hash.js";

/** How the candidate must compare with control on the primary metric to move on. */
export type PromotionMode = "superiority" | "non-inferiority";

/**
 * The metric promotion is judged on: `labelled_error_rate` (errors / labelled, classifiers) or `bad_turn_rate`
 * (bad turns / scored turns, generators: a turn is bad when its fused quality score is below the threshold or it
 * was rated ≤ 2).
 */
export type PrimaryMetric = "labelled_error_rate" | "bad_turn_rate";

/**
 * How a stage is passed.
 * - `significance`: the candidate must be significantly better (or non-inferior) on the primary metric, with
 *   minimumLabelledPerArm trials in each arm. Its promotions carry the test's error guarantee.
 * - `guardrails`: a safety stage. It is passed once its minimum duration has run and the candidate arm has its
 *   minimum exposure (minimumCandidateTrials of the primary metric) with no guardrail degraded. It claims no
 *   improvement: it limits how many users a harmful candidate reaches before the decision stage.
 */
export type StageGate = "significance" | "guardrails";

/** One stage of the rollout. */
export interface RampStep {
  /** The candidate's share of units during the stage, in (0, 1]. A share of 1 means promotion. */
  share: number;
  /** The stage lasts at least this long before it may ramp or promote (guardrails act at any time). */
  minimumDurationHours: number;
  /** How the stage is passed. */
  gate: StageGate;
  /** For a `guardrails` stage: the candidate arm's primary-metric trials needed (its minimum exposure). */
  minimumCandidateTrials: number;
}

/** When the candidate may move on, judged on the primary metric. */
export interface PromotionPolicy {
  /**
   * `superiority`: the candidate's rate must be significantly lower than control's.
   * `non-inferiority`: it must be significantly below control's + nonInferiorityMargin (for changes made for
   * another reason, such as a shorter, faster prompt, that must not make answers worse).
   */
  mode: PromotionMode;
  /** δ for non-inferiority, in rate units (0.02 = 2 percentage points). Ignored in superiority mode. */
  nonInferiorityMargin: number;
  /** Level of the anytime-valid promotion test: the chance of promoting a candidate that is not better. */
  alpha: number;
  /** τ of the mSPRT mixture for the rate difference, in rate units. */
  mixtureStandardDeviation: number;
  /**
   * Futility: in a `significance` stage with its minimums met, roll back once an improvement of at least this
   * much (beyond the promotion's null) is ruled out by the anytime-valid test at futilityAlpha. 0 = never.
   */
  futilityEffect: number;
  /** The chance that futility stops a candidate that is truly futilityEffect better (or more). */
  futilityAlpha: number;
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
  /** Labelled error rate, errors / labelled: the primary metric getting worse (classifiers). */
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
  /** Quality: bad turns / scored turns (fused quality score below the threshold, or rated ≤ 2), every task. */
  badTurnRate: GuardrailPolicy;
}

/**
 * How a policy fits its stages to a small site's traffic when an experiment starts (adaptPolicyToTraffic). The
 * stages are planned in trials (labelled interactions, or scored turns) rather than shares, from the task's
 * measured rate; a site with enough traffic keeps the preset's numbers exactly. See src/rollout/core/README.md.
 */
export interface TrafficAdaptation {
  /** false: every experiment snapshots the preset's numbers as they are. */
  enabled: boolean;
  /**
   * A safety stage's share rises, up to this, so that its minimum exposure (minimumCandidateTrials) is expected
   * within its minimum duration (and stays below the next stage's share).
   */
  maximumSafetyShare: number;
  /**
   * The decision stage's minimumLabelledPerArm falls to the trials per arm expected in this many hours of it (never
   * above the policy's own, never below minimumLabelledPerArmFloor).
   */
  minimumSampleHours: number;
  /** The smallest minimumLabelledPerArm the adaptation sets (an arm of 50 at 15% expects 7.5 errors). */
  minimumLabelledPerArmFloor: number;
  /**
   * The promotion test's τ is tuned to the trials per arm expected in this many hours of the decision stage (its
   * boundary is narrowest where the difference's variance is τ²/8), never below the policy's own τ.
   */
  planningHours: number;
  /** The largest τ the adaptation sets. */
  maximumMixtureStandardDeviation: number;
}

/** The measured traffic a snapshot was adapted to (recorded with it, for the record and the console). */
export interface AdaptedTraffic {
  /** Primary-metric trials (labelled interactions, or scored turns) per hour, both arms, before the start. */
  primaryTrialsPerHour: number;
  /** The share of those trials that were errors (bad turns): the base rate the test is planned at. */
  primaryEventRate: number;
}

/** Names of the guardrails. */
export type GuardrailName = keyof GuardrailPolicies;

/** The named starting points of a policy (ROLLOUT_PRESET); see rollout-presets.ts. */
export type RolloutPresetName = "balanced" | "strict" | "writeup";

/** Everything the decision core needs to know about how careful to be. Snapshot it with each experiment. */
export interface RolloutPolicy {
  /** The preset the policy was built from (overrides may have changed fields since). */
  preset: RolloutPresetName;
  /** The metric promotion is judged on; set per task kind with {@link policyForTaskKind}. */
  primaryMetric: PrimaryMetric;
  /** Stages in order; shares strictly increase and the last is 1 (= promotion). */
  rampSteps: readonly RampStep[];
  /** A stage that has not decided after this long ends in a rollback (keep control, the known quantity). */
  maximumStageDurationHours: number;
  /** Primary-metric trials (labelled, scored) needed in each arm of a `significance` stage before it may pass. */
  minimumLabelledPerArm: number;
  promotion: PromotionPolicy;
  /** Family-wise level of all applicable guardrails together, split equally between them (Bonferroni). */
  guardrailAlpha: number;
  guardrails: GuardrailPolicies;
  /** The experiment halts when the sample-ratio test's p-value is below this. */
  sampleRatioThreshold: number;
  /**
   * How the split is checked: `chi-square` (the write-up's test, a fresh p-value at every look) or `sequential`
   * (an always-valid Bayes factor: no false halts from looking often). See sample-ratio-test.ts.
   */
  sampleRatioMethod: SampleRatioMethod;
  /** Concentration of the sequential test's Dirichlet prior around the configured split. */
  sampleRatioConcentration: number;
  /** How long a replaced version stays `pending_retirement` (待淘汰), ready for a rollback, before `retired`. */
  retirementGracePeriodHours: number;
  /**
   * After a promotion, this share of units (sticky) keeps the replaced version for the grace period, and the
   * guardrails keep comparing the two; a degradation reverts the promotion (退出率异常上升时立即回滚). Absent = 0:
   * no holdback (snapshots from before holdbacks existed).
   */
  holdbackShare?: number;
  /** The assignment hash version for new experiments. */
  hashVersion: HashVersion;
  /** Small sites: fit the stages to the measured traffic at the start. Absent = off (older snapshots, overrides). */
  trafficAdaptation?: TrafficAdaptation;
  /** Set on a snapshot whose numbers were fitted to traffic: what was measured. */
  adaptedTo?: AdaptedTraffic;
}

/**
 * A policy snapshot stored before some fields existed, completed with what it meant then: every stage gated on
 * significance, no futility stop, no quality guardrail, the chi-square sample-ratio test. Snapshots are JSON in
 * the store, so the decision core completes them at every look rather than trusting their type.
 */
export function withLegacyDefaults(policy: RolloutPolicy): RolloutPolicy {
  const stored = policy as Partial<RolloutPolicy> &
    Pick<RolloutPolicy, "rampSteps" | "promotion" | "guardrails">;
  const steps = stored.rampSteps as ReadonlyArray<Partial<RampStep> & Pick<RampStep, "share">>;
  const promotion = stored.promotion as Partial<PromotionPolicy>;
  const guardrails = stored.guardrails as Partial<GuardrailPolicies>;
  const complete =
    stored.preset !== undefined &&
    stored.sampleRatioConcentration !== undefined &&
    guardrails.badTurnRate !== undefined &&
    promotion.futilityEffect !== undefined &&
    steps.every((step) => step.gate !== undefined);
  if (complete) return policy;
  return {
    ...policy,
    preset: stored.preset ?? "strict",
    rampSteps: steps.map((step) => ({
      ...step,
      minimumDurationHours: step.minimumDurationHours ?? 0,
      gate: step.gate ?? "significance",
      minimumCandidateTrials: step.minimumCandidateTrials ?? 0,
    })),
    promotion: {
      ...policy.promotion,
      futilityEffect: promotion.futilityEffect ?? 0,
      futilityAlpha: promotion.futilityAlpha ?? 0.05,
    },
    guardrails: { ...policy.guardrails, badTurnRate: guardrails.badTurnRate ?? legacyDisabledGuardrail },
    sampleRatioMethod: stored.sampleRatioMethod ?? "chi-square",
    sampleRatioConcentration: stored.sampleRatioConcentration ?? defaultSampleRatioConcentration,
  };
}

const legacyDisabledGuardrail: GuardrailPolicy = {
  enabled: false,
  mixtureStandardDeviation: 0.05,
  tolerance: 0,
  minimumTrialsPerArm: 30,
};

/** The sequential sample-ratio test's default prior concentration (see src/rollout/README.md). */
export const defaultSampleRatioConcentration = 300;

/** The policy an experiment on a task of this kind snapshots: generators are judged on their bad-turn rate. */
export function policyForTaskKind(policy: RolloutPolicy, kind: "classifier" | "generator"): RolloutPolicy {
  return { ...policy, primaryMetric: kind === "generator" ? "bad_turn_rate" : "labelled_error_rate" };
}
