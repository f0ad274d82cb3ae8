import { proportionInterval } from "./proportion-interval.js";

/** A confusion-matrix cell (see MetricsRow.confusion): null gold = wrong with gold unknown. */
interface ConfusionCell {
  gold: string | null;
  predicted: string | null;
  count: number;
}

/** How one label fares, read off a confusion matrix. */
export interface LabelErrorRow {
  label: string;
  /**
   * Judged interactions the model gave this label, and how many of them were wrong: the label's error rate. A 👎
   * with the gold unknown (a task with more than two labels) counts here, because the prediction is known wrong.
   */
  predicted: number;
  predictedWrong: number;
  errorRate: number | null;
  errorRateLow: number | null;
  errorRateHigh: number | null;
  /** Judged interactions whose gold label is this one (known golds only), and how many the model missed. */
  gold: number;
  goldMissed: number;
  /** goldMissed / gold: how often this label's inputs were given another label. */
  missRate: number | null;
}

/** One off-diagonal cell: the model said `predicted` where the truth was `gold`. */
export interface ConfusedPair {
  predicted: string | null;
  /** null = wrong, gold unknown. */
  gold: string | null;
  count: number;
  /** count / all errors. */
  share: number;
}

/**
 * Pure: per-label error rates (by predicted label, with a Wilson interval) and miss rates (by gold label) from a
 * confusion matrix's non-zero cells, in the task's label order.
 */
export function perLabelErrors(
  confusion: readonly ConfusionCell[],
  labels: readonly string[],
  confidence = 0.95,
): LabelErrorRow[] {
  return labels.map((label) => {
    let predicted = 0;
    let predictedWrong = 0;
    let gold = 0;
    let goldMissed = 0;
    for (const cell of confusion) {
      if (cell.predicted === label) {
        predicted += cell.count;
        if (cell.gold !== label) predictedWrong += cell.count;
      }
      if (cell.gold === label) {
        gold += cell.count;
        if (cell.predicted !== label) goldMissed += cell.count;
      }
    }
    const errorRate = proportionInterval(predictedWrong, predicted, confidence);
    return {
      label,
      predicted,
      predictedWrong,
      errorRate: errorRate.estimate,
      errorRateLow: errorRate.low,
      errorRateHigh: errorRate.high,
      gold,
      goldMissed,
      missRate: gold === 0 ? null : goldMissed / gold,
    };
  });
}

/** Pure: the confused pairs (off-diagonal cells), most frequent first. */
export function confusedPairs(confusion: readonly ConfusionCell[]): ConfusedPair[] {
  const errors = confusion.filter((cell) => cell.gold !== cell.predicted || cell.gold === null);
  const total = errors.reduce((sum, cell) => sum + cell.count, 0);
  return errors
    .map((cell) => ({
      predicted: cell.predicted,
      gold: cell.gold,
      count: cell.count,
      share: cell.count / total,
    }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        compare(a.predicted ?? "\uffff", b.predicted ?? "\uffff") ||
        compare(a.gold ?? "\uffff", b.gold ?? "\uffff"),
    );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
