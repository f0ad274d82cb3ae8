import { chiSquareSurvival } from "./chi-square-survival.js";

/** Options of {@link sampleRatioTest}. */
export interface SampleRatioTestOptions {
  /** Observed units per arm, in the same order as expectedShares. */
  observed: readonly number[];
  /** The share each arm should receive; must sum to 1. */
  expectedShares: readonly number[];
  /** A mismatch is flagged when the p-value is below this (the write-up and common practice: 0.001). */
  threshold: number;
}

/** The outcome of a sample-ratio check. */
export interface SampleRatioTestResult {
  /** Pearson's chi-square statistic. */
  statistic: number;
  degreesOfFreedom: number;
  /** P(chi-square ≥ statistic) under the configured split; 1 when not evaluable. */
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
    return { statistic: 0, degreesOfFreedom, pValue: 1, expectedCounts, evaluable, mismatch: false };
  }
  let statistic = 0;
  observed.forEach((count, arm) => {
    const expected = expectedCounts[arm]!;
    statistic += ((count - expected) * (count - expected)) / expected;
  });
  const pValue = chiSquareSurvival(statistic, degreesOfFreedom);
  return { statistic, degreesOfFreedom, pValue, expectedCounts, evaluable, mismatch: pValue < threshold };
}
