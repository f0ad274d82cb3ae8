import {
  sequentialDifferenceTest,
  type SequentialDifferenceTestResult,
} from "./sequential-difference-test.js";

/** Options of {@link labelShiftTest}. */
export interface LabelShiftTestOptions {
  /** Predicted-label counts of the control arm, e.g. `{正面: 610, 负面: 390}`. */
  control: Readonly<Record<string, number>>;
  /** Predicted-label counts of the candidate arm. A label missing from one side counts as 0 there. */
  candidate: Readonly<Record<string, number>>;
  /**
   * How far (in share, 0.10 = 10 points) a label's share may move before it counts as a shift. A better prompt
   * legitimately moves shares a little (fixing errors moves predictions), so only a larger move is flagged.
   */
  tolerance: number;
  /** τ of the mixture, in share units. */
  mixtureStandardDeviation: number;
  /** Family-wise level over all labels and both directions. */
  alpha: number;
  /** Compute each label's confidence sequence (default true; see sequentialDifferenceTest). */
  withConfidenceSequence?: boolean;
}

/** One label's share in both arms. */
export interface LabelShareResult {
  label: string;
  /** The test in the direction the share moved (`greater` if the candidate predicts the label more often). */
  test: SequentialDifferenceTestResult;
  /** The share moved beyond the tolerance, significantly at the per-test level. */
  shifted: boolean;
}

/** The outcome of {@link labelShiftTest}. */
export interface LabelShiftTestResult {
  /** alpha divided over the labels and the two directions (Bonferroni). */
  perTestAlpha: number;
  labels: LabelShareResult[];
  /** Labels whose share moved beyond the tolerance. */
  shiftedLabels: string[];
  /** The smallest per-label p-value, scaled back to the family level (min(1, p · tests)). */
  pValue: number;
}

/**
 * An anytime-valid guard against a shift in the predicted-label distribution (e.g. a candidate whose output no
 * longer parses and falls back to one label). Each label's share is compared with {@link sequentialDifferenceTest}
 * against ±tolerance, so it may be checked at every look — unlike a chi-square or G-test of homogeneity, whose
 * error rate grows with every look. Bonferroni over labels × 2 directions keeps the family-wise level at alpha;
 * with exactly two labels the shares are complementary, so only one label's two directions count.
 */
export function labelShiftTest(options: LabelShiftTestOptions): LabelShiftTestResult {
  const { control, candidate, tolerance, mixtureStandardDeviation, alpha } = options;
  const labels = [...new Set([...Object.keys(control), ...Object.keys(candidate)])].sort();
  const controlTotal = sumCounts(control);
  const candidateTotal = sumCounts(candidate);
  const independentLabels = labels.length === 2 ? 1 : Math.max(1, labels.length);
  const tests = 2 * independentLabels;
  const perTestAlpha = alpha / tests;
  const results = labels.map((label): LabelShareResult => {
    const controlCounts = { events: control[label] ?? 0, trials: controlTotal };
    const candidateCounts = { events: candidate[label] ?? 0, trials: candidateTotal };
    const moved = rate(candidateCounts) - rate(controlCounts);
    const up = moved >= 0;
    const test = sequentialDifferenceTest({
      control: controlCounts,
      candidate: candidateCounts,
      nullDifference: up ? tolerance : -tolerance,
      alternative: up ? "greater" : "less",
      mixtureStandardDeviation,
      alpha: perTestAlpha,
      withConfidenceSequence: options.withConfidenceSequence !== false,
    });
    return { label, test, shifted: test.rejectsNull };
  });
  const smallest = results.reduce((min, result) => Math.min(min, result.test.pValue), 1);
  return {
    perTestAlpha,
    labels: results,
    shiftedLabels: results.filter((result) => result.shifted).map((result) => result.label),
    pValue: Math.min(1, smallest * tests),
  };
}

function sumCounts(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

function rate(counts: { events: number; trials: number }): number {
  return counts.trials === 0 ? 0 : counts.events / counts.trials;
}
