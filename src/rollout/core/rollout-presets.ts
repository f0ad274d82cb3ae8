import {
  defaultSampleRatioConcentration,
  type GuardrailPolicies,
  type RolloutPolicy,
  type RolloutPresetName,
  type TrafficAdaptation,
} from "./rollout-policy.js";
import { currentHashVersion } from "./unit-interval-hash.js";

/**
 * The guardrails every preset shares: the error, exit, negative-feedback and quality rates from 30 trials per arm,
 * engine errors (τ 0.02 for a base rate near 0.5%), latency p95 and label shift (±10 points) from 100. Each
 * number is explained in this folder's README.md.
 */
const guardrails: GuardrailPolicies = {
  errorRate: { enabled: true, mixtureStandardDeviation: 0.05, tolerance: 0, minimumTrialsPerArm: 30 },
  exitRate: { enabled: true, mixtureStandardDeviation: 0.05, tolerance: 0, minimumTrialsPerArm: 30 },
  negativeFeedbackRate: {
    enabled: true,
    mixtureStandardDeviation: 0.05,
    tolerance: 0,
    minimumTrialsPerArm: 30,
  },
  engineErrorRate: { enabled: true, mixtureStandardDeviation: 0.02, tolerance: 0, minimumTrialsPerArm: 100 },
  slowRequestRate: { enabled: true, mixtureStandardDeviation: 0.05, tolerance: 0, minimumTrialsPerArm: 100 },
  labelShift: { enabled: true, mixtureStandardDeviation: 0.05, tolerance: 0.1, minimumTrialsPerArm: 100 },
  badTurnRate: { enabled: true, mixtureStandardDeviation: 0.05, tolerance: 0, minimumTrialsPerArm: 30 },
};

/**
 * `balanced`'s fit to small sites (adapt-policy-to-traffic.ts): the safety share may rise to 40% (below the 50%
 * decision stage), the decision stage's minimum falls to what 72 h give per arm but not below 50, and τ is tuned
 * to what a week of the decision stage gives, up to 0.15. From about 24 users an hour (9.7 labelled answers an
 * hour) nothing changes.
 */
const smallSiteAdaptation: TrafficAdaptation = {
  enabled: true,
  maximumSafetyShare: 0.4,
  minimumSampleHours: 72,
  minimumLabelledPerArmFloor: 50,
  planningHours: 168,
  maximumMixtureStandardDeviation: 0.15,
};

const common = {
  primaryMetric: "labelled_error_rate",
  maximumStageDurationHours: 14 * 24,
  guardrailAlpha: 0.05,
  guardrails,
  sampleRatioThreshold: 0.001,
  sampleRatioConcentration: defaultSampleRatioConcentration,
  retirementGracePeriodHours: 7 * 24,
  holdbackShare: 0.05,
  hashVersion: currentHashVersion,
} as const;

/**
 * `balanced` (the default): a safety ramp, then a decision at a balanced split. The 10% canary runs the
 * write-up's 72 h and is passed on clean guardrails once the candidate has a minimum exposure; the decision is
 * taken at 50%, where labels come five times faster for the candidate and the test needs about half the total
 * labels a 10/90 split does. Promotion there needs the anytime-valid superiority test (alpha 0.05); futility
 * rolls back a candidate once a 2-point improvement is ruled out. Sample ratio: the always-valid test. Below
 * about 24 users an hour the stages are fitted to the measured traffic when an experiment starts.
 */
const balanced: RolloutPolicy = {
  ...common,
  preset: "balanced",
  rampSteps: [
    { share: 0.1, minimumDurationHours: 72, gate: "guardrails", minimumCandidateTrials: 50 },
    { share: 0.5, minimumDurationHours: 24, gate: "significance", minimumCandidateTrials: 0 },
    { share: 1, minimumDurationHours: 0, gate: "significance", minimumCandidateTrials: 0 },
  ],
  minimumLabelledPerArm: 300,
  promotion: {
    mode: "superiority",
    nonInferiorityMargin: 0.02,
    alpha: 0.05,
    mixtureStandardDeviation: 0.05,
    futilityEffect: 0.02,
    futilityAlpha: 0.05,
  },
  sampleRatioMethod: "sequential",
  trafficAdaptation: smallSiteAdaptation,
};

/**
 * `strict`: the behaviour before the presets. Every stage (10% for 72 h, then 50% for 72 h) must show a
 * significant improvement with 300 labelled per arm; no futility stop; the write-up's chi-square sample-ratio
 * test at every look.
 */
const strict: RolloutPolicy = {
  ...common,
  preset: "strict",
  rampSteps: [
    { share: 0.1, minimumDurationHours: 72, gate: "significance", minimumCandidateTrials: 0 },
    { share: 0.5, minimumDurationHours: 72, gate: "significance", minimumCandidateTrials: 0 },
    { share: 1, minimumDurationHours: 0, gate: "significance", minimumCandidateTrials: 0 },
  ],
  minimumLabelledPerArm: 300,
  promotion: { ...balanced.promotion, futilityEffect: 0 },
  sampleRatioMethod: "chi-square",
  trafficAdaptation: { ...smallSiteAdaptation, enabled: false },
};

/**
 * `writeup`: the write-up's own rule. 10% of traffic for 72 hours, then everyone, unless a guardrail fired (the
 * exit rate above all: 异常退出率上升 → immediate return). It ships anything not shown to be harmful: it makes
 * no claim that the candidate is better, and an A/A candidate is promoted.
 */
const writeup: RolloutPolicy = {
  ...common,
  preset: "writeup",
  rampSteps: [
    { share: 0.1, minimumDurationHours: 72, gate: "guardrails", minimumCandidateTrials: 0 },
    { share: 1, minimumDurationHours: 0, gate: "significance", minimumCandidateTrials: 0 },
  ],
  minimumLabelledPerArm: 300,
  promotion: strict.promotion,
  sampleRatioMethod: "sequential",
  trafficAdaptation: { ...smallSiteAdaptation, enabled: false },
};

/** The presets by name (ROLLOUT_PRESET). */
export const rolloutPresets: Readonly<Record<RolloutPresetName, RolloutPolicy>> = {
  balanced,
  strict,
  writeup,
};

/** The names, in the order the docs list them. */
export const rolloutPresetNames: readonly RolloutPresetName[] = ["balanced", "strict", "writeup"];

/** The default policy: the `balanced` preset. */
export const defaultRolloutPolicy: RolloutPolicy = balanced;
