import { normalQuantile } from "./normal-distribution.js";

/** A rate with its Wilson score interval. */
export interface RateInterval {
  /** successes / trials, or null when there are no trials. */
  estimate: number | null;
  /** Lower bound (0 when there are no trials). */
  lower: number;
  /** Upper bound (1 when there are no trials). */
  upper: number;
}

/**
 * The Wilson score interval for `successes` out of `trials` at a two-sided `confidence` (default 0.95).
 * Used for display next to each arm's rates: it stays inside [0, 1] and is sensible at 0 or 100%. It is a
 * fixed-horizon interval, so decisions use the confidence sequences in sequential-difference-test.ts instead.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): RateInterval {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  if (successes < 0 || successes > trials) throw new RangeError(`need 0 <= successes <= trials`);
  if (trials === 0) return { estimate: null, lower: 0, upper: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const estimate = successes / trials;
  const denominator = trials + z2;
  const centre = (successes + z2 / 2) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((successes * (trials - successes)) / trials + z2 / 4);
  return { estimate, lower: Math.max(0, centre - halfWidth), upper: Math.min(1, centre + halfWidth) };
}
