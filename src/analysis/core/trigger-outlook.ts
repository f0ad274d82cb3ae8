import { wilsonTrialsToExceed } from "../../statistics/wilson-trials-to-exceed.js";
import type { BilingualText, TriggerStats } from "./trigger-stats.js";

type OutlookInput = Omit<TriggerStats, "samplesToFire" | "newLabelled">;

/**
 * How many more labelled samples, at today's observed error rate, would meet the trigger rule: enough samples in
 * all (ANALYSIS_MIN_LABELLED_SAMPLES) and, for `lower-bound`, enough for the Wilson lower bound of that rate to
 * clear the threshold (wilsonTrialsToExceed). 0 when the rule is met now; null when no number of samples would
 * meet it (no samples yet, or the observed rate is not above the threshold).
 */
export function labelledSamplesToFire(stats: OutlookInput): number | null {
  const { errorRate, threshold, labelled } = stats;
  if (errorRate === null || !(errorRate > threshold)) return null;
  const needed =
    stats.rule === "point"
      ? stats.minLabelledSamples
      : Math.max(stats.minLabelledSamples, wilsonTrialsToExceed(errorRate, threshold, stats.confidence)!);
  return Math.max(0, needed - labelled);
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The trigger's arithmetic in both languages: observed rate, bound, rule, and the samples-to-fire figure. */
export function explainTrigger(stats: TriggerStats): BilingualText {
  const { labelled, errors, errorRate, minLabelledSamples: min, samplesToFire } = stats;
  const level = `${Math.round(stats.confidence * 100)}%`;
  const threshold = percent(stats.threshold);
  const rule =
    stats.rule === "point"
      ? {
          en: `Rule point: a draft needs at least ${min} labelled samples and the observed rate above ${threshold}.`,
          zh: `触发规则 point：至少 ${min} 条带标注样本，且观测错误率高于 ${threshold}。`,
        }
      : {
          en: `Rule lower-bound: a draft needs at least ${min} labelled samples and the lower bound above ${threshold}.`,
          zh: `触发规则 lower-bound：至少 ${min} 条带标注样本，且置信下限高于 ${threshold}。`,
        };
  if (errorRate === null) {
    return {
      en: `No labelled samples yet, so no observed error rate. ${rule.en}`,
      zh: `尚无带标注样本，没有观测错误率。${rule.zh}`,
    };
  }
  const observed = {
    en:
      `Observed error rate ${percent(errorRate)} (${errors} of ${labelled} labelled); ` +
      `${level} Wilson lower bound ${percent(stats.errorRateLow!)} (upper ${percent(stats.errorRateHigh!)}).`,
    zh:
      `观测错误率 ${percent(errorRate)}（${labelled} 条带标注样本中 ${errors} 条错误）；` +
      `${level} Wilson 置信下限 ${percent(stats.errorRateLow!)}（上限 ${percent(stats.errorRateHigh!)}）。`,
  };
  const outlook =
    samplesToFire === null
      ? {
          en: `At ${percent(errorRate)} no number of samples fires it: the observed rate must be above ${threshold}.`,
          zh: `错误率为 ${percent(errorRate)} 时，样本再多也不会触发：观测错误率须高于 ${threshold}。`,
        }
      : samplesToFire === 0
        ? { en: "Today's observed rate meets the rule now.", zh: "按今天的观测错误率，现在已满足触发规则。" }
        : {
            en: `If the rate stays at ${percent(errorRate)}, ${samplesToFire} more labelled samples (${labelled + samplesToFire} in all) fire it.`,
            zh: `若错误率保持 ${percent(errorRate)}，再有 ${samplesToFire} 条带标注样本（共 ${labelled + samplesToFire} 条）即会触发。`,
          };
  return {
    en: `${observed.en} ${rule.en} ${outlook.en}`,
    zh: `${observed.zh}${rule.zh}${outlook.zh}`,
  };
}
