import { logGamma } from "../../../statistics/regularized-gamma.js";
import { chiSquareSurvival } from "./chi-square-survival.js";

/**
 * `chi-square`: Pearson's goodness-of-fit p-value at this look (the write-up's test). Each look is a fresh
 * fixed-horizon test, so checking every 15 minutes for two weeks halts a few per cent of healthy experiments
 * (bench/rollout-simulation.ts). `sequential`: an always-valid p-value from a Dirichlet-multinomial Bayes factor
 * (Lindon & Malek), which keeps false halts below the threshold however often one looks, at the cost of needing
 * more units to flag a given mismatch.
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
  /**
   * Concentration of the `sequential` method's Dirichlet prior, centred on the expected shares: how far from the
   * configured split it looks. A share p then has a prior standard deviation of √(p(1 − p)/(concentration + 1)).
   */
  concentration?: number;
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
   * `chi-square`: false while some expected count is below 5, where the chi-square approximation is not
   * trustworthy (Cochran's rule); a mismatch is never flagged then. `sequential` is exact: evaluable from 1 unit.
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
  const concentration = options.concentration ?? 300;
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
  const evaluable =
    method === "chi-square"
      ? expectedCounts.every((expected) => expected >= minimumExpectedCount)
      : total > 0;
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
      : Math.min(1, Math.exp(-logDirichletMultinomialBayesFactor(observed, expectedShares, concentration)));
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
 * ln BF of the Dirichlet-multinomial model against the configured split, for the sequence of units seen so far
 * (Lindon & Malek, "Anytime-valid inference for multinomial count data", NeurIPS 2022; GrowthBook's sequential
 * SRM check). With prior Dirichlet(c·p) around the expected shares p:
 *
 *   BF = [Γ(c) / Γ(c + n)] · Π Γ(c·pᵢ + nᵢ) / Γ(c·pᵢ)  ÷  Π pᵢ^nᵢ
 *
 * BF is the ratio of the mixture's predictive probability of the sequence to the null's, so under the null it is
 * a nonnegative martingale over units with mean 1, exactly (no Gaussian approximation): by Ville's inequality
 * P(BF ever ≥ 1/threshold) ≤ threshold, however often one looks. 1/BF is the always-valid p-value at this look.
 */
export function logDirichletMultinomialBayesFactor(
  observed: readonly number[],
  expectedShares: readonly number[],
  concentration: number,
): number {
  if (!(concentration > 0)) throw new RangeError(`concentration must be > 0, got ${concentration}`);
  const total = observed.reduce((sum, count) => sum + count, 0);
  let logBayesFactor = logGamma(concentration) - logGamma(concentration + total);
  expectedShares.forEach((share, arm) => {
    const count = observed[arm]!;
    const prior = concentration * share;
    logBayesFactor += logGamma(prior + count) - logGamma(prior) - count * Math.log(share);
  });
  return logBayesFactor;
}
