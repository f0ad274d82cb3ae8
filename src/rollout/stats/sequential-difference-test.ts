import { logNormalCdf } from "./normal-distribution.js";

/** Events out of trials in one arm, e.g. labelled errors out of labelled interactions. */
export interface ProportionCounts {
  /** How many trials had the event (an error, an exit, a failed request…). */
  events: number;
  /** How many trials there were. */
  trials: number;
}

/**
 * Which way the alternative hypothesis points, for the difference candidate − control:
 * `greater` (the candidate's rate is higher: a degradation for error-like metrics), `less` (lower: an
 * improvement), or `two-sided`.
 */
export type Alternative = "greater" | "less" | "two-sided";

/** Options of {@link sequentialDifferenceTest}. */
export interface SequentialDifferenceTestOptions {
  control: ProportionCounts;
  candidate: ProportionCounts;
  /**
   * The difference (candidate − control) under the null hypothesis. 0 tests for any difference; a positive
   * margin with `alternative: "less"` is a non-inferiority test; a tolerance with `"greater"` only flags a
   * degradation larger than the tolerance. Default 0.
   */
  nullDifference?: number;
  alternative: Alternative;
  /**
   * τ, the standard deviation of the normal mixing distribution over the true difference, in rate units (0.05 = 5
   * percentage points). The test has the most power for effects of about this size; see rollout-policy.ts.
   */
  mixtureStandardDeviation: number;
  /** The level: the null is rejected when the mixture likelihood ratio reaches 1/alpha. */
  alpha: number;
}

/** What one look at the data shows. */
export interface SequentialDifferenceTestResult {
  /** control.events / control.trials (0 without trials). */
  controlRate: number;
  /** candidate.events / candidate.trials (0 without trials). */
  candidateRate: number;
  /** candidateRate − controlRate. */
  difference: number;
  /** Standard error of the difference (see the variance note in the function's doc). */
  standardError: number;
  nullDifference: number;
  alternative: Alternative;
  /** ln Λ, the log of the mixture likelihood ratio for this alternative against the null. */
  logLikelihoodRatio: number;
  /**
   * Always-valid p-value at this look, min(1, 1/Λ): under the null, the chance that it *ever* drops below alpha,
   * however often one looks, is at most alpha.
   */
  pValue: number;
  /** Two-sided (1 − alpha) confidence sequence for the difference, clamped to [−1, 1]. */
  confidenceSequence: { lower: number; upper: number };
  /** pValue ≤ alpha. */
  rejectsNull: boolean;
}

/**
 * An anytime-valid sequential test for the difference of two proportions: the mixture sequential probability
 * ratio test (mSPRT) of Johari, Koomen, Pekelis & Walsh, "Always valid inference" (Operations Research, 2022),
 * in its Gaussian form with a normal mixture N(nullDifference, τ²) over the true difference. With the difference
 * estimate d̂ (centred on the null value) of variance v:
 *
 *   two-sided  Λ = √(v / (v + τ²)) · exp(τ² d̂² / (2v(v + τ²)))
 *   one-sided  Λ₊ = 2 Λ Φ(d̂ τ / √(v (v + τ²)))   (the half-normal mixture over the alternative's side only)
 *
 * Λ is a nonnegative martingale under the null (a supermartingale for the one-sided composite null), so by
 * Ville's inequality P(∃ look: Λ ≥ 1/alpha) ≤ alpha: looking hourly or daily does not inflate false positives.
 * Inverting the two-sided test gives the normal-mixture confidence sequence of Howard, Ramdas, McAuliffe &
 * Sekhon, "Time-uniform, nonparametric, nonasymptotic confidence sequences" (Annals of Statistics, 2021):
 *
 *   d̂ ± √( v (v + τ²) / τ² · (2 ln(1/alpha) + ln((v + τ²) / v)) )
 *
 * Variance: v = p̃c(1 − p̃c)/nc + p̃t(1 − p̃t)/nt with p̃ = (events + 1)/(trials + 2). The add-one smoothing (as in
 * the Agresti–Caffo interval) only touches the variance, never the estimate, so 0 events in a small arm cannot
 * make v zero and a single failure look infinitely significant. The guarantee is asymptotic (the Gaussian
 * approximation of binomial counts); the policy's minimum trials per arm keeps looks away from tiny samples.
 */
export function sequentialDifferenceTest(
  options: SequentialDifferenceTestOptions,
): SequentialDifferenceTestResult {
  const { control, candidate, alternative, alpha } = options;
  const nullDifference = options.nullDifference ?? 0;
  const tau = options.mixtureStandardDeviation;
  checkCounts("control", control);
  checkCounts("candidate", candidate);
  if (!(tau > 0)) throw new RangeError(`mixtureStandardDeviation must be > 0, got ${tau}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);

  const controlRate = rate(control);
  const candidateRate = rate(candidate);
  const difference = candidateRate - controlRate;
  if (control.trials === 0 || candidate.trials === 0) {
    return {
      controlRate,
      candidateRate,
      difference,
      standardError: Number.POSITIVE_INFINITY,
      nullDifference,
      alternative,
      logLikelihoodRatio: 0,
      pValue: 1,
      confidenceSequence: { lower: -1, upper: 1 },
      rejectsNull: false,
    };
  }

  const variance = smoothedVariance(control) + smoothedVariance(candidate);
  const tau2 = tau * tau;
  const centred = difference - nullDifference;
  const logTwoSided =
    0.5 * Math.log(variance / (variance + tau2)) +
    (tau2 * centred * centred) / (2 * variance * (variance + tau2));
  const logLikelihoodRatio =
    alternative === "two-sided"
      ? logTwoSided
      : Math.LN2 +
        logTwoSided +
        logNormalCdf(
          ((alternative === "greater" ? centred : -centred) * tau) / Math.sqrt(variance * (variance + tau2)),
        );
  const pValue = Math.min(1, Math.exp(-logLikelihoodRatio));
  const halfWidth = Math.sqrt(
    ((variance * (variance + tau2)) / tau2) *
      (2 * Math.log(1 / alpha) + Math.log((variance + tau2) / variance)),
  );
  return {
    controlRate,
    candidateRate,
    difference,
    standardError: Math.sqrt(variance),
    nullDifference,
    alternative,
    logLikelihoodRatio,
    pValue,
    confidenceSequence: {
      lower: Math.max(-1, difference - halfWidth),
      upper: Math.min(1, difference + halfWidth),
    },
    rejectsNull: pValue <= alpha,
  };
}

function rate(counts: ProportionCounts): number {
  return counts.trials === 0 ? 0 : counts.events / counts.trials;
}

function smoothedVariance(counts: ProportionCounts): number {
  const smoothed = (counts.events + 1) / (counts.trials + 2);
  return (smoothed * (1 - smoothed)) / counts.trials;
}

function checkCounts(arm: string, counts: ProportionCounts): void {
  const valid =
    Number.isInteger(counts.events) &&
    Number.isInteger(counts.trials) &&
    counts.events >= 0 &&
    counts.events <= counts.trials;
  if (!valid) throw new RangeError(`${arm} needs integer counts with 0 <= events <= trials`);
}
