import { chiSquareSurvival } from "./chi-square-survival.js";

/**
 * `chi-square`: Pearson's goodness-of-fit p-value at this look (the write-up's test). Each look is a fresh
 * fixed-horizon test, so checking hourly for two weeks halts about 2% of healthy experiments
 * (bench/rollout-simulation.ts). `sequential`: an always-valid p-value (a normal-mixture mSPRT on each arm's
 * share, whose variance is known under the configured split), which keeps false halts below the threshold however
 * often one looks, at the cost of needing about twice the units to flag a given mismatch.
 */
export type SampleRatioMethod = "chi-square" | "sequential";

/** Options of {@link sampleRatioTest}. */
export interface SampleRatioTestOptions {
  /** Observed units per arm, in the same order as expectedShares. */
  observed: readonly number[];
  /** The share each arm should receive; must sum to 1. */
  expectedShares: readonly number[];
  /** A mismatch is flagged when the p-value is below this (the write-up and common practice: 0.001). */
  threshold: number;
  /** Default `chi-square`. */
  method?: SampleRatioMethod;
  /** τ of the `sequential` method's mixture, in share units (default 0.01: a 1-point drift of a share). */
  mixtureStandardDeviation?: number;
}

/** The outcome of a sample-ratio check. */
export interface SampleRatioTestResult {
  method: SampleRatioMethod;
  /** Pearson's chi-square statistic (reported for both methods). */
  statistic: number;
  degreesOfFreedom: number;
  /**
   * `chi-square`: P(chi-square ≥ statistic) under the configured split. `sequential`: the always-valid p-value.
   * 1 when not evaluable.
   */
  pValue: number;
  /** observed total × expected share, per arm. */
  expectedCounts: number[];
  /**
   * False while some expected count is below 5, where the chi-square approximation is not trustworthy
   * (Cochran's rule); a mismatch is never flagged then.
   */
  evaluable: boolean;
  /** evaluable and pValue < threshold. */
  mismatch: boolean;
}

/** Smallest expected count per arm for the chi-square approximation (Cochran's rule). */
export const minimumExpectedCount = 5;

/**
 * Sample-ratio mismatch: Pearson's chi-square goodness-of-fit of the observed units per arm against the
 * configured split. A mismatch means the assignment or the logging is broken (bots, crashes in one arm, a
 * redirect that drops users), so no metric comparison can be trusted. Count distinct units (users or sessions),
 * not requests: one user's requests are correlated and would make the test fire on heavy users alone.
 */
export function sampleRatioTest(options: SampleRatioTestOptions): SampleRatioTestResult {
  const { observed, expectedShares, threshold } = options;
  const method = options.method ?? "chi-square";
  if (observed.length !== expectedShares.length || observed.length < 2) {
    throw new RangeError("observed and expectedShares need the same length, at least 2");
  }
  const shareSum = expectedShares.reduce((sum, share) => sum + share, 0);
  if (Math.abs(shareSum - 1) > 1e-9 || expectedShares.some((share) => !(share > 0))) {
    throw new RangeError("expectedShares must be positive and sum to 1");
  }
  if (observed.some((count) => !(Number.isInteger(count) && count >= 0))) {
    throw new RangeError("observed counts must be nonnegative integers");
  }
  const total = observed.reduce((sum, count) => sum + count, 0);
  const expectedCounts = expectedShares.map((share) => share * total);
  const degreesOfFreedom = observed.length - 1;
  const evaluable = expectedCounts.every((expected) => expected >= minimumExpectedCount);
  if (!evaluable) {
    return { method, statistic: 0, degreesOfFreedom, pValue: 1, expectedCounts, evaluable, mismatch: false };
  }
  let statistic = 0;
  observed.forEach((count, arm) => {
    const expected = expectedCounts[arm]!;
    statistic += ((count - expected) * (count - expected)) / expected;
  });
  const pValue =
    method === "chi-square"
      ? chiSquareSurvival(statistic, degreesOfFreedom)
      : sequentialShareTest(observed, expectedShares, total, options.mixtureStandardDeviation ?? 0.01);
  return {
    method,
    statistic,
    degreesOfFreedom,
    pValue,
    expectedCounts,
    evaluable,
    mismatch: pValue < threshold,
  };
}

/**
 * Always-valid p-value that every arm's share equals its expected share: for each arm, the two-sided normal
 * mixture likelihood ratio Λ = √(v/(v + τ²)) · exp(τ² d² / (2v(v + τ²))) with d = observed share − expected share
 * and v = e(1 − e)/n, exact under the null. Bonferroni over the arms; two arms mirror each other, so count once.
 */
function sequentialShareTest(
  observed: readonly number[],
  expectedShares: readonly number[],
  total: number,
  tau: number,
): number {
  const tau2 = tau * tau;
  const pValues = expectedShares.map((expected, arm) => {
    const variance = (expected * (1 - expected)) / total;
    const drift = observed[arm]! / total - expected;
    const logLikelihoodRatio =
      0.5 * Math.log(variance / (variance + tau2)) +
      (tau2 * drift * drift) / (2 * variance * (variance + tau2));
    return Math.min(1, Math.exp(-logLikelihoodRatio));
  });
  const tests = expectedShares.length === 2 ? 1 : expectedShares.length;
  return Math.min(1, Math.min(...pValues) * tests);
}
