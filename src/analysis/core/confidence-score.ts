import { normalQuantile } from "./normal-quantile.js";
import type { ReplayStats } from "./replay-gate.js";
import type { TriggerDecision } from "./trigger-policy.js";

/** One ingredient of the confidence score, with its value and why it has that value. */
export interface ConfidenceComponent {
  name: string;
  /** 0..1 */
  value: number;
  weight: number;
  explanation: string;
}

/** How sure the analysis is of its recommendation, and how that number came about. */
export interface ConfidenceScore {
  /** 0..1 */
  score: number;
  formula: string;
  components: ConfidenceComponent[];
}

/**
 * Confidence in "create a draft from this candidate":
 *   score = 0.2·S + 0.2·E + 0.3·R + 0.3·P
 * - S (sample size) = n / (n + minLabelledSamples): ½ at the minimum, → 1 with more data;
 * - E (error evidence) = Φ((p̂ − threshold) / √(p̂(1−p̂)/n)): how surely the error rate is above the threshold;
 * - R (replay improvement) = clamp(Δ held-out accuracy / 5 points, 0, 1): a 5-point gain counts fully;
 * - P (replay significance) = 1 − one-sided exact McNemar p-value that the candidate is better by chance.
 */
export function draftConfidence(trigger: TriggerDecision, replay: ReplayStats): ConfidenceScore {
  const sample = sampleComponent(trigger, 0.2);
  const evidence = errorEvidence(trigger, 0.2);
  const delta = replay.heldOut.delta ?? 0;
  const improvement: ConfidenceComponent = {
    name: "replay improvement",
    value: clamp(delta / 0.05),
    weight: 0.3,
    explanation: `held-out accuracy ${pct(replay.heldOut.currentAccuracy)} → ${pct(replay.heldOut.candidateAccuracy)} (Δ ${(delta * 100).toFixed(1)} points; 5 points = 1)`,
  };
  const significance: ConfidenceComponent = {
    name: "replay significance",
    value: clamp(1 - replay.pBetter),
    weight: 0.3,
    explanation: `1 − exact McNemar p = 1 − ${replay.pBetter.toFixed(4)} (${replay.discordant.candidateOnlyRight} answers gained, ${replay.discordant.currentOnlyRight} lost)`,
  };
  return combine("0.2·S + 0.2·E + 0.3·R + 0.3·P", [sample, evidence, improvement, significance]);
}

/**
 * Confidence in "no change":
 *   score = 0.5·S + 0.5·(1 − E)
 * with S and E as in draftConfidence: high when there is plenty of data and the error rate is surely below the
 * threshold, low when data is scarce or the error rate is high but no candidate helped.
 */
export function noChangeConfidence(trigger: TriggerDecision): ConfidenceScore {
  const evidence = errorEvidence(trigger, 0.5);
  const belowThreshold: ConfidenceComponent = {
    name: "error rate below threshold",
    value: 1 - evidence.value,
    weight: 0.5,
    explanation: `1 − E, where ${evidence.explanation}`,
  };
  return combine("0.5·S + 0.5·(1 − E)", [sampleComponent(trigger, 0.5), belowThreshold]);
}

export function sampleComponent(trigger: TriggerDecision, weight: number): ConfidenceComponent {
  const { labelled, minLabelledSamples } = trigger.stats;
  const value = labelled + minLabelledSamples === 0 ? 0 : labelled / (labelled + minLabelledSamples);
  return {
    name: "sample size",
    value,
    weight,
    explanation: `S = n / (n + min) = ${labelled} / (${labelled} + ${minLabelledSamples})`,
  };
}

export function errorEvidence(trigger: TriggerDecision, weight: number): ConfidenceComponent {
  const { labelled: n, errorRate, threshold } = trigger.stats;
  if (errorRate === null || n === 0) {
    return { name: "error evidence", value: 0.5, weight, explanation: "E = 0.5: no labelled samples" };
  }
  // A floor on the variance keeps E finite when the observed error rate is exactly 0 or 1.
  const variance = Math.max(errorRate * (1 - errorRate), 0.25 / n) / n;
  const z = (errorRate - threshold) / Math.sqrt(variance);
  const value = normalCdf(z);
  return {
    name: "error evidence",
    value,
    weight,
    explanation: `E = Φ((${pct(errorRate)} − ${pct(threshold)}) / SE) = Φ(${z.toFixed(2)}) = ${value.toFixed(3)}`,
  };
}

export function combine(formula: string, components: ConfidenceComponent[]): ConfidenceScore {
  const score = components.reduce((sum, component) => sum + component.weight * component.value, 0);
  return { score: clamp(score), formula, components };
}

/** Φ(z), by bisection on normalQuantile; plenty for a 3-decimal score. */
function normalCdf(z: number): number {
  if (z > 8) return 1;
  if (z < -8) return 0;
  let low = 0;
  let high = 1;
  for (let i = 0; i < 60; i += 1) {
    const mid = (low + high) / 2;
    if (normalQuantile(mid) < z) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function pct(value: number | null): string {
  return value === null ? "n/a" : `${(value * 100).toFixed(1)}%`;
}
