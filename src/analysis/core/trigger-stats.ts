/**
 * How the error rate is compared with the threshold (ANALYSIS_TRIGGER). `lower-bound` (default): the lower Wilson
 * bound must be above it, so a draft is proposed only when the rate is above the threshold with confidence.
 * `point`: the observed rate itself must be above it, the write-up's "above 15% with enough samples".
 */
export const triggerRules = ["lower-bound", "point"] as const;
export type TriggerRule = (typeof triggerRules)[number];

/** A sentence in both languages of the product. */
export interface BilingualText {
  en: string;
  zh: string;
}

export interface TriggerStats {
  labelled: number;
  errors: number;
  errorRate: number | null;
  /** The Wilson interval's bounds; the lower one is what the `lower-bound` rule compares. */
  errorRateLow: number | null;
  errorRateHigh: number | null;
  threshold: number;
  minLabelledSamples: number;
  rule: TriggerRule;
  confidence: number;
  /**
   * How many more labelled samples at today's observed error rate would meet the rule (0: it is met now), or null
   * when none would (no samples yet, or the rate is not above the threshold).
   */
  samplesToFire: number | null;
  /** null when the run had no watermark. */
  newLabelled: number | null;
}
