import type { GuardrailResult } from "./evaluate-guardrails.js";
import type { PrimaryMetricResult } from "./evaluate-primary-metric.js";
import { describeComparison, formatPoints, formatPValue, formatRate } from "./format-rates.js";
import type { GuardrailName, PrimaryMetric } from "./rollout-policy.js";

/** The words for each primary metric in decision reasons. */
export const metricWords: Record<PrimaryMetric, { rate: string; trials: string; samples: string }> = {
  labelled_error_rate: {
    rate: "labelled error rate",
    trials: "labelled interactions",
    samples: "labelled samples",
  },
  bad_turn_rate: { rate: "bad-turn rate", trials: "scored turns", samples: "scored turns" },
};

const guardrailLabels: Record<GuardrailName, string> = {
  errorRate: "labelled error rate",
  exitRate: "exit rate",
  negativeFeedbackRate: "negative-feedback rate",
  engineErrorRate: "engine error rate",
  slowRequestRate: "share of requests slower than the latency threshold (p95)",
  labelShift: "predicted-label distribution",
  badTurnRate: "bad-turn rate (quality score)",
};

/** Why the candidate may move on: "the candidate's labelled error rate is significantly lower: …". */
export function describePromotionEvidence(primary: PrimaryMetricResult): string {
  const rate = metricWords[primary.metric].rate;
  return primary.mode === "superiority"
    ? `the candidate's ${rate} is significantly lower: ${describeComparison(primary.test)}`
    : `the candidate's ${rate} is significantly less than ${formatPoints(primary.test.nullDifference)} ` +
        `above control's (non-inferiority margin): ${describeComparison(primary.test)}`;
}

/** Why futility stopped the candidate. */
export function describeFutility(primary: PrimaryMetricResult): string {
  const test = primary.futilityTest!;
  const needed = formatPoints(test.nullDifference);
  return (
    `Rolled back for futility: an improvement of the ${metricWords[primary.metric].rate} to ${needed} or better ` +
    `is ruled out: ${describeComparison(test)} ≤ ${formatPValue(test.alpha)}. Keeping the known control.`
  );
}

/** One degraded guardrail in a sentence. */
export function describeDegradation(guardrail: GuardrailResult): string {
  const name = guardrailLabels[guardrail.name];
  if (guardrail.name !== "labelShift") {
    const test = guardrail.test!;
    const beyond =
      test.nullDifference > 0 ? ` beyond the ${formatPoints(test.nullDifference)} tolerance` : "";
    return `${name} worse${beyond}: ${describeComparison(test)} ≤ ${formatPValue(guardrail.alpha)}`;
  }
  const shifted = guardrail.test!.labels.filter((label) => label.shifted);
  return (
    `${name} shifted: ${shifted
      .map(
        ({ label, test }) =>
          `"${label}" ${formatRate(test.candidateRate)} vs ${formatRate(test.controlRate)}`,
      )
      .join(
        ", ",
      )} (beyond ±${(Math.abs(guardrail.test!.labels[0]!.test.nullDifference) * 100).toFixed(0)} pts, ` +
    `p = ${formatPValue(guardrail.test!.pValue)} ≤ ${formatPValue(guardrail.alpha)})`
  );
}

/** 12.25 → "12.3 h". */
export function formatHours(hours: number): string {
  return `${hours.toFixed(1)} h`;
}
