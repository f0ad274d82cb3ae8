import { normalQuantile } from "./normal-distribution.js";
import { wilsonInterval } from "./wilson-interval.js";

/**
 * The fewest trials at which a rate that stays at `rate` has a Wilson lower bound strictly above `threshold`
 * (two-sided `confidence`, as in wilsonInterval), or null when no number of trials gets there (rate ≤ threshold).
 *
 * With n trials at rate p, z the normal quantile and t the threshold, the lower bound exceeds t exactly when
 *   n(p − t) + z²(½ − t) > z·√(n·p(1 − p) + z²/4),
 * i.e. when a·n² + b·n + c > 0 with a = (p − t)², b = z²((p − t)(1 − 2t) − p(1 − p)) and c = −z⁴·t(1 − t).
 * As c < 0 the quadratic has one positive root n*, and the answer is the first whole number above it; the result is
 * then checked against the interval itself so floating-point rounding can't put it one off.
 */
export function wilsonTrialsToExceed(rate: number, threshold: number, confidence = 0.95): number | null {
  if (!(rate >= 0 && rate <= 1) || !(threshold >= 0 && threshold < 1))
    throw new RangeError(`need rate in [0, 1] and threshold in [0, 1), got ${rate} and ${threshold}`);
  if (rate <= threshold) return null;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const gap = rate - threshold;
  const a = gap * gap;
  const b = z2 * (gap * (1 - 2 * threshold) - rate * (1 - rate));
  const c = -z2 * z2 * threshold * (1 - threshold);
  const root = (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
  const exceeds = (trials: number) => wilsonInterval(rate * trials, trials, confidence).lower > threshold;
  let trials = Math.max(1, Math.floor(root) + 1);
  while (!exceeds(trials)) trials += 1;
  while (trials > 1 && exceeds(trials - 1)) trials -= 1;
  return trials;
}
