import {
  confusedPairs,
  perLabelErrors,
  type ConfusedPair,
  type LabelErrorRow,
} from "../src/analysis/core/per-label-errors.js";
import { proportionInterval, type ProportionInterval } from "../src/analysis/core/proportion-interval.js";

/** One evaluated row: the data set's gold label (mapped onto the task's) and what the model said. */
export interface ScoredRow {
  text: string;
  gold: string;
  predicted: string;
  confidence: number;
}

export interface EvaluationScores {
  accuracy: ProportionInterval & { correct: number; total: number };
  /** Share of the most frequent gold label: what always answering it would score. */
  majorityBaseline: { label: string; share: number };
  confusion: Array<{ gold: string; predicted: string; count: number }>;
  perLabel: LabelErrorRow[];
  confusedPairs: ConfusedPair[];
}

/** Accuracy with its 95% Wilson interval, the confusion matrix and per-label errors, as the analysis reports them. */
export function scoreResults(rows: readonly ScoredRow[], labels: readonly string[]): EvaluationScores {
  const cells = new Map<string, { gold: string; predicted: string; count: number }>();
  const goldCounts = new Map<string, number>();
  let correct = 0;
  for (const row of rows) {
    if (row.gold === row.predicted) correct += 1;
    goldCounts.set(row.gold, (goldCounts.get(row.gold) ?? 0) + 1);
    const key = `${row.gold}\u0000${row.predicted}`;
    const cell = cells.get(key) ?? { gold: row.gold, predicted: row.predicted, count: 0 };
    cell.count += 1;
    cells.set(key, cell);
  }
  const confusion = [...cells.values()].sort(
    (a, b) =>
      labels.indexOf(a.gold) - labels.indexOf(b.gold) ||
      labels.indexOf(a.predicted) - labels.indexOf(b.predicted),
  );
  const [majorityLabel, majorityCount] = [...goldCounts].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
  return {
    accuracy: { ...proportionInterval(correct, rows.length), correct, total: rows.length },
    majorityBaseline: { label: majorityLabel, share: rows.length === 0 ? 0 : majorityCount / rows.length },
    confusion,
    perLabel: perLabelErrors(confusion, labels),
    confusedPairs: confusedPairs(confusion).slice(0, 10),
  };
}

const pct = (value: number | null) => (value === null ? "–" : `${(value * 100).toFixed(1)}%`);

export function printScores(scores: EvaluationScores, labels: readonly string[]): void {
  const { accuracy, majorityBaseline } = scores;
  console.log(
    `accuracy ${pct(accuracy.estimate)} (${accuracy.correct}/${accuracy.total}), 95% interval ` +
      `${pct(accuracy.low)}–${pct(accuracy.high)}; always answering ${majorityBaseline.label} would score ` +
      `${pct(majorityBaseline.share)}`,
  );
  console.log("\nconfusion matrix (rows: gold, columns: predicted)");
  console.table(
    Object.fromEntries(
      labels.map((gold) => [
        gold,
        Object.fromEntries(
          labels.map((predicted) => [
            predicted,
            scores.confusion.find((c) => c.gold === gold && c.predicted === predicted)?.count ?? 0,
          ]),
        ),
      ]),
    ),
  );
  console.log(
    "per label (error rate: of the inputs given this label, how many were wrong; miss rate: of this label's inputs, how many got another)",
  );
  console.table(
    scores.perLabel.map((row) => ({
      label: row.label,
      predicted: row.predicted,
      "error rate": pct(row.errorRate),
      "95% interval": row.errorRateLow === null ? "–" : `${pct(row.errorRateLow)}–${pct(row.errorRateHigh)}`,
      gold: row.gold,
      "miss rate": pct(row.missRate),
    })),
  );
  console.log("most frequent confusions (predicted → gold)");
  console.table(
    scores.confusedPairs.map((pair) => ({
      predicted: pair.predicted,
      gold: pair.gold,
      count: pair.count,
      "share of errors": pct(pair.share),
    })),
  );
}
