/** Why the replay gate passed or failed a candidate: a stable code, the figures behind it, and its sentence. */
export const replayGateReasonCodes = [
  "slice_too_small",
  "no_slice_improvement",
  "worse_overall",
  "breaks_regressions",
  "named_set_failed",
  "passed",
] as const;
export type ReplayGateReasonCode = (typeof replayGateReasonCodes)[number];

/** The figures a reason sentence names (counts, accuracies as 0–1 or null, p-values). */
export interface ReplayGateReasonParams {
  sliceN: number;
  minSlice: number;
  sliceCurrentCorrect: number;
  sliceCandidateCorrect: number;
  currentAccuracy: number | null;
  candidateAccuracy: number | null;
  lost: number;
  gained: number;
  pWorse: number;
  alpha: number;
  regressionN: number;
  brokenByCandidate: number;
  brokenByCurrentReplay: number;
  allowedExtraBroken: number;
  /** The first named regression set the candidate failed, if any. */
  failedSet: {
    name: string;
    n: number;
    candidateCorrect: number;
    currentCorrect: number;
    allowedExtraWrong: number;
  } | null;
}

const percent = (value: number | null) => (value === null ? "n/a" : `${(value * 100).toFixed(1)}%`);

type Describe = (p: ReplayGateReasonParams) => string;

const english: Record<ReplayGateReasonCode, Describe> = {
  slice_too_small: (p) => `target slice has ${p.sliceN} held-out items, need ${p.minSlice} to judge`,
  no_slice_improvement: (p) =>
    `no improvement on the target slice (${p.sliceCandidateCorrect} vs ${p.sliceCurrentCorrect} of ${p.sliceN} right)`,
  worse_overall: (p) =>
    `worse overall beyond noise: held-out accuracy ${percent(p.candidateAccuracy)} vs ${percent(p.currentAccuracy)}, ` +
    `${p.lost} answers lost vs ${p.gained} gained (exact McNemar p = ${p.pWorse.toFixed(4)} < ${p.alpha})`,
  breaks_regressions: (p) =>
    `breaks ${p.brokenByCandidate} of ${p.regressionN} previously right answers ` +
    `(the current version itself breaks ${p.brokenByCurrentReplay} on replay; allowed extra ${p.allowedExtraBroken})`,
  named_set_failed: ({ failedSet: set }) =>
    set === null
      ? "a regression set failed"
      : `regression set "${set.name}": ${set.candidateCorrect} of ${set.n} right vs ` +
        `${set.currentCorrect} for the current version (allowed ${set.allowedExtraWrong} fewer)`,
  passed: (p) =>
    `target slice ${p.sliceCurrentCorrect} → ${p.sliceCandidateCorrect} of ${p.sliceN} right; held-out accuracy ` +
    `${percent(p.currentAccuracy)} → ${percent(p.candidateAccuracy)} (McNemar p(worse) = ${p.pWorse.toFixed(3)}); ` +
    `breaks ${p.brokenByCandidate} of ${p.regressionN} previously right answers`,
};

const chinese: Record<ReplayGateReasonCode, Describe> = {
  slice_too_small: (p) => `目标切片只有 ${p.sliceN} 条留出样本，至少需要 ${p.minSlice} 条才能判断`,
  no_slice_improvement: (p) =>
    `目标切片上没有改进（${p.sliceN} 条中候选答对 ${p.sliceCandidateCorrect} 条，现版本答对 ${p.sliceCurrentCorrect} 条）`,
  worse_overall: (p) =>
    `整体明显变差（超出噪声）：留出集准确率 ${percent(p.candidateAccuracy)}，现版本 ${percent(p.currentAccuracy)}；` +
    `答错了原本答对的 ${p.lost} 条，新答对 ${p.gained} 条（精确 McNemar 检验 p = ${p.pWorse.toFixed(4)} < ${p.alpha}）`,
  breaks_regressions: (p) =>
    `在 ${p.regressionN} 条原本答对的回归样本中答错 ${p.brokenByCandidate} 条` +
    `（现版本重放自身答错 ${p.brokenByCurrentReplay} 条；允许多错 ${p.allowedExtraBroken} 条）`,
  named_set_failed: ({ failedSet: set }) =>
    set === null
      ? "未通过某个回归集"
      : `回归集“${set.name}”：候选答对 ${set.candidateCorrect}/${set.n} 条，现版本答对 ${set.currentCorrect} 条` +
        `（最多允许少对 ${set.allowedExtraWrong} 条）`,
  passed: (p) =>
    `目标切片答对数 ${p.sliceCurrentCorrect} → ${p.sliceCandidateCorrect}（共 ${p.sliceN} 条）；留出集准确率 ` +
    `${percent(p.currentAccuracy)} → ${percent(p.candidateAccuracy)}（McNemar 变差检验 p = ${p.pWorse.toFixed(3)}）；` +
    `回归样本 ${p.regressionN} 条中答错 ${p.brokenByCandidate} 条`,
};

/** The reason in a sentence, in English (the API's and CLI's `reason`) or Chinese (the reports' zh parts, the UI). */
export function describeReplayGateReason(
  code: ReplayGateReasonCode,
  params: ReplayGateReasonParams,
  locale: "en" | "zh",
): string {
  return (locale === "zh" ? chinese : english)[code](params);
}

/** A gate result's reason in Chinese; a result stored before codes existed keeps its English sentence. */
export function replayReasonZh(result: {
  reason: string;
  reasonCode?: ReplayGateReasonCode;
  reasonParams?: ReplayGateReasonParams;
}): string {
  return result.reasonCode && result.reasonParams
    ? describeReplayGateReason(result.reasonCode, result.reasonParams, "zh")
    : result.reason;
}
