/**
 * The fused quality score of a turn, in [0, 1]: a logistic model over explicit and implicit signals.
 * docs/analysis.md#fused-quality-score documents the formula, the prior weights and the fitting.
 */
import { hasAnySignal, type TurnSignals } from "./turn-signals.js";

/** The features whose weights are learned from rated turns (fit-quality-weights.ts). */
export const learnedFeatures = ["edit", "copy", "dwell", "exit", "rephrase", "newTopic"] as const;
export type LearnedFeature = (typeof learnedFeatures)[number];

/** The weights of the score: an intercept for unrated turns and one weight per learned feature. */
export interface QualityWeights {
  /** The log-odds of a good turn before any learned feature, for a turn without a rating. */
  bias: number;
  features: Record<LearnedFeature, number>;
}

/**
 * The prior weights, used while there are too few rated turns to fit and shrunk towards while fitting.
 * Chosen so that on their own: a copy reads good (0.91), a rephrased follow-up bad (0.23), an exit alone
 * neutral-low (0.45), a rewrite of half the reply bad (0.23), a small touch-up not bad (0.60).
 */
export const priorQualityWeights: QualityWeights = {
  bias: 0.8,
  features: { edit: -4, copy: 1.5, dwell: 0.6, exit: -1, rephrase: -2, newTopic: 0 },
};

/** Fixed (not learned) weights of the explicit signals that are themselves the truth the fit learns from. */
export const explicitWeights = {
  /** Per unit of (rating − 3) / 2: a 5 adds +3 log-odds, a 1 adds −3. */
  rating: 3,
  /** 👍 adds, 👎 or a correction subtracts. */
  thumb: 2.5,
} as const;

/** A turn whose score is below this, or that is rated ≤ 2, is a bad turn (the generators' rollout metric). */
export const badTurnScoreThreshold = 0.4;

/** The reading time a reply of `chars` characters needs (ms): 1.5 s to notice it plus 100 ms a character. */
export function expectedReadingMs(chars: number): number {
  return 1500 + 100 * chars;
}

/**
 * The learned features of a turn: `edit` is the normalised edit distance; `dwell` is log2(dwell ÷ expected
 * reading time) clipped to ±3 and divided by 3 (−1 = an eighth of the time needed or less, 0 = as expected or no
 * dwell, +1 = eight times or more); the others are 0/1.
 */
export function qualityFeatures(signals: TurnSignals): Record<LearnedFeature, number> {
  const dwell =
    signals.dwellMs === null
      ? 0
      : Math.max(
          -3,
          Math.min(3, Math.log2(Math.max(signals.dwellMs, 1) / expectedReadingMs(signals.replyChars))),
        ) / 3;
  return {
    edit: signals.editDistance ?? 0,
    copy: signals.copied ? 1 : 0,
    dwell,
    exit: signals.exited ? 1 : 0,
    rephrase: signals.followUp === "rephrase" ? 1 : 0,
    newTopic: signals.followUp === "new_topic" ? 1 : 0,
  };
}

/** The log-odds from the learned features alone (no intercept, no explicit signals). */
export function learnedLogOdds(features: Record<LearnedFeature, number>, weights: QualityWeights): number {
  let sum = 0;
  for (const name of learnedFeatures) sum += weights.features[name] * features[name];
  return sum;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * The fused score, or null for a turn without any signal (never a default).
 * - rated: σ(3·(rating − 3)/2 + Σ wⱼxⱼ [+ ±2.5 thumb]) — the rating sets the baseline, so no intercept;
 * - unrated: σ(bias + Σ wⱼxⱼ [+ ±2.5 thumb]).
 */
export function fusedQualityScore(
  signals: TurnSignals,
  weights: QualityWeights = priorQualityWeights,
): number | null {
  if (!hasAnySignal(signals)) return null;
  let z = learnedLogOdds(qualityFeatures(signals), weights);
  z += signals.rating === null ? weights.bias : (explicitWeights.rating * (signals.rating - 3)) / 2;
  if (signals.thumb !== null) z += signals.thumb ? explicitWeights.thumb : -explicitWeights.thumb;
  return sigmoid(z);
}

/** Whether a scored turn is bad: rated ≤ 2, or a score below {@link badTurnScoreThreshold}. */
export function isBadTurn(signals: TurnSignals, score: number): boolean {
  return (signals.rating !== null && signals.rating <= 2) || score < badTurnScoreThreshold;
}
