import { twoSidedZ } from "./normal-quantile.js";

/** A proportion with its confidence interval; all null when there are no trials. */
export interface ProportionInterval {
  estimate: number | null;
  low: number | null;
  high: number | null;
}

/**
 * The Wilson score interval for `successes` out of `trials` at the given two-sided confidence (default 95%).
 * Chosen over the normal approximation because it stays inside [0, 1] and behaves at small counts and at 0 or 100%.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): ProportionInterval {
  if (trials <= 0) return { estimate: null, low: null, high: null };
  const z = twoSidedZ(confidence);
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
