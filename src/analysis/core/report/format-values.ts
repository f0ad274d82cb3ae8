import type { MetricsRow } from "../metrics.js";

export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(digits)}%`;
}

/** "86.5% [82.1%, 90.0%]" */
export function percentWithInterval(value: number | null, low: number | null, high: number | null): string {
  return value === null ? "–" : `${percent(value)} [${percent(low)}, ${percent(high)}]`;
}

export function isoTime(epochMs: number | null): string {
  return epochMs === null ? "–" : new Date(epochMs).toISOString();
}

export function fixed(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? "–" : value.toFixed(digits);
}

/** Column headers and cells of the per-version metrics table, shared by both renderers. */
export const metricsColumns = [
  "版本 version",
  "交互 interactions",
  "标注 labelled",
  "准确率 accuracy [95% CI]",
  "错误率 error rate [95% CI]",
  "反馈覆盖 coverage",
  "平均评分 mean rating",
  "退出率 exit rate",
  "经回复退出 exits through replies",
  "答案正确率 QA accuracy [95% CI]",
];

export function metricsCells(row: MetricsRow): string[] {
  return [
    row.promptVersionId,
    String(row.interactions),
    String(row.labelled),
    percentWithInterval(row.accuracy, row.accuracyLow, row.accuracyHigh),
    percentWithInterval(row.errorRate, row.errorRateLow, row.errorRateHigh),
    percent(row.coverage),
    fixed(row.meanRating),
    percent(row.exitRate),
    row.exitsThroughReplies === 0 ? "–" : `${row.exitsThroughReplies} (${percent(row.exitThroughReplyRate)})`,
    row.qaChecked === 0 ? "–" : percentWithInterval(row.qaAccuracy, row.qaAccuracyLow, row.qaAccuracyHigh),
  ];
}

/** Rows = gold, columns = predicted, in label order, plus "?" / "∅" when they occur. */
export function confusionTable(
  row: MetricsRow,
  labels: readonly string[],
): { header: string[]; rows: string[][] } {
  const golds: (string | null)[] = [...labels];
  const predictions: (string | null)[] = [...labels];
  if (row.confusion.some((cell) => cell.gold === null)) golds.push(null);
  if (row.confusion.some((cell) => cell.predicted === null)) predictions.push(null);
  const count = (gold: string | null, predicted: string | null) =>
    row.confusion.find((cell) => cell.gold === gold && cell.predicted === predicted)?.count ?? 0;
  return {
    header: ["gold \\ predicted", ...predictions.map((label) => label ?? "∅")],
    rows: golds.map((gold) => [
      gold ?? "?",
      ...predictions.map((predicted) => String(count(gold, predicted))),
    ]),
  };
}
