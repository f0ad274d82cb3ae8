import type { MetricsRow } from "./metrics.js";
import { explainTrigger, labelledSamplesToFire } from "./trigger-outlook.js";
import type { BilingualText, TriggerRule, TriggerStats } from "./trigger-stats.js";
import { proportionInterval } from "./proportion-interval.js";

export { triggerRules, type BilingualText, type TriggerRule, type TriggerStats } from "./trigger-stats.js";

/** When the analysis may propose a new prompt version. */
export interface TriggerPolicy {
  /** Propose only when the error rate is above this (see `rule`). Default 0.15 (the write-up's 15%). */
  errorRateThreshold: number;
  /** Fewest labelled samples of the current version. Default 200. */
  minLabelledSamples: number;
  /** Which rate must clear the threshold. Default `lower-bound`. */
  rule: TriggerRule;
  /** Confidence of the Wilson interval (the lower bound `lower-bound` compares). Default 0.95. */
  confidence: number;
  /**
   * When the run has a watermark, require at least this many interactions of the current version with label
   * feedback newer than the watermark, so an unchanged history does not propose again. Default 1.
   */
  minNewLabelledSamples: number;
}

export const defaultTriggerPolicy: TriggerPolicy = {
  errorRateThreshold: 0.15,
  minLabelledSamples: 200,
  rule: "lower-bound",
  confidence: 0.95,
  minNewLabelledSamples: 1,
};

export interface TriggerDecision {
  decision: "create_draft" | "no_change";
  /** The condition that decided. */
  reason: BilingualText;
  /** Always: the observed rate, the bound, the rule and how many more samples would make today's rate fire. */
  explanation: BilingualText;
  stats: TriggerStats;
}

/** The evidence the policy looks at: the current version's totals and, with a watermark, the new labelled count. */
export interface TriggerEvidence {
  current: Pick<MetricsRow, "labelled" | "errors"> | null;
  newLabelled: number | null;
}

/**
 * Decides whether to create a draft version: only when there are at least `minLabelledSamples` labelled samples
 * AND the error rate the rule compares (the lower Wilson bound, or the observed rate) is above the threshold (and,
 * with a watermark, there is new labelled feedback). The reason always says which condition decided.
 */
export function decideTrigger(
  evidence: TriggerEvidence,
  policy: TriggerPolicy = defaultTriggerPolicy,
): TriggerDecision {
  const labelled = evidence.current?.labelled ?? 0;
  const errors = evidence.current?.errors ?? 0;
  const interval = proportionInterval(errors, labelled, policy.confidence);
  const base = {
    labelled,
    errors,
    errorRate: interval.estimate,
    errorRateLow: interval.low,
    errorRateHigh: interval.high,
    threshold: policy.errorRateThreshold,
    minLabelledSamples: policy.minLabelledSamples,
    rule: policy.rule,
    confidence: policy.confidence,
    newLabelled: evidence.newLabelled,
  };
  const stats: TriggerStats = { ...base, samplesToFire: labelledSamplesToFire(base) };
  const explanation = explainTrigger(stats);
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const level = `${Math.round(policy.confidence * 100)}%`;
  const threshold = percent(policy.errorRateThreshold);
  const noChange = (en: string, zh: string): TriggerDecision => ({
    decision: "no_change",
    reason: { en, zh },
    explanation,
    stats,
  });

  if (labelled < policy.minLabelledSamples) {
    return noChange(
      `only ${labelled} labelled samples, need ${policy.minLabelledSamples}`,
      `仅有 ${labelled} 条带标注的样本，至少需要 ${policy.minLabelledSamples} 条`,
    );
  }
  const observed = `${percent(interval.estimate!)} (${level} CI ${percent(interval.low!)}–${percent(interval.high!)})`;
  const compared = policy.rule === "point" ? interval.estimate! : interval.low!;
  if (!(compared > policy.errorRateThreshold)) {
    const below = interval.estimate! <= policy.errorRateThreshold;
    return noChange(
      below
        ? `error rate ${observed} is not above the ${threshold} threshold`
        : `error rate ${observed} is above the ${threshold} threshold, but not with ${level} confidence`,
      below
        ? `错误率 ${observed} 未超过阈值 ${threshold}`
        : `错误率 ${observed} 高于阈值 ${threshold}，但置信下限未超过阈值（置信度 ${level}）`,
    );
  }
  if (evidence.newLabelled !== null && evidence.newLabelled < policy.minNewLabelledSamples) {
    return noChange(
      `no new labelled feedback since the last run (${evidence.newLabelled} new, need ${policy.minNewLabelledSamples})`,
      `自上次分析以来没有新的标注反馈（新增 ${evidence.newLabelled} 条，至少需要 ${policy.minNewLabelledSamples} 条）`,
    );
  }
  return {
    decision: "create_draft",
    reason: {
      en: `error rate ${observed} is above the ${threshold} threshold with ${labelled} labelled samples`,
      zh:
        policy.rule === "point"
          ? `错误率 ${observed} 高于阈值 ${threshold}（${labelled} 条带标注样本）`
          : `错误率 ${observed} 显著高于阈值 ${threshold}（${labelled} 条带标注样本）`,
    },
    explanation,
    stats,
  };
}
