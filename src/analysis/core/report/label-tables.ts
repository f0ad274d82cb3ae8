import type { ConfusedPairPatterns } from "../confused-pair-patterns.js";
import type { MetricsRow } from "../metrics.js";
import { fixed, percent, percentWithInterval } from "./format-values.js";

/** Per-label error and miss rates of a version, as table cells shared by both renderers. */
export function perLabelTable(row: MetricsRow): { header: string[]; rows: string[][] } {
  return {
    header: [
      "标签 label",
      "预测 predicted",
      "预测错误率 error rate [95% CI]",
      "真实 gold",
      "漏判率 miss rate",
    ],
    rows: row.perLabel.map((label) => [
      label.label,
      String(label.predicted),
      percentWithInterval(label.errorRate, label.errorRateLow, label.errorRateHigh),
      String(label.gold),
      percent(label.missRate),
    ]),
  };
}

/** "卡片办理 → 卡片故障" (gold unknown: "卡片办理 → ?"). */
export function pairText(pair: Pick<ConfusedPairPatterns, "predicted" | "gold">): string {
  return `${pair.predicted ?? "∅"} → ${pair.gold ?? "?"}`;
}

/** One row per confused pair: its errors and the terms behind them, best first. */
export function confusedPairsTable(pairs: readonly ConfusedPairPatterns[]): {
  header: string[];
  rows: string[][];
} {
  return {
    header: ["混淆 predicted → gold", "错误 errors", "占比 share", "相关词 terms (z)"],
    rows: pairs.map((pair) => [
      pairText(pair),
      String(pair.errors),
      percent(pair.share),
      pair.patterns.length === 0
        ? `– (none above z ${fixed(pair.minZ)})`
        : pair.patterns.map((pattern) => `${pattern.title} (${fixed(pattern.zScore, 1)})`).join(", "),
    ]),
  };
}
