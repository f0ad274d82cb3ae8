import { wilsonInterval } from "../../statistics/wilson-interval.js";

/** A proportion with its confidence interval; all null when there are no trials. */
export interface ProportionInterval {
  estimate: number | null;
  low: number | null;
  high: number | null;
}

/**
 * The shared Wilson score interval (statistics/wilson-interval.ts) for `successes` out of `trials` at the given
 * two-sided confidence (default 95%), in the nullable shape the reports and the dashboard store and show (no data
 * → no interval rather than [0, 1]).
 */
export function proportionInterval(successes: number, trials: number, confidence = 0.95): ProportionInterval {
  if (trials <= 0) return { estimate: null, low: null, high: null };
  const { estimate, lower, upper } = wilsonInterval(successes, trials, confidence);
  return { estimate, low: lower, high: upper };
}
