import type { RecordedReasonCode } from "../../../src/rollout/core/reason-codes.js";

/** The rollout's vocabulary in each language: experiment states, decisions, and the reasons behind decisions. */

const zhExperimentStatus: Record<string, string> = {
  running: "进行中",
  halted: "已暂停（待人工处理）",
  promoted: "已全量发布",
  rolled_back: "已回滚",
};
const enExperimentStatus: Record<string, string> = {
  running: "Running",
  halted: "Halted (awaiting an operator)",
  promoted: "Promoted",
  rolled_back: "Rolled back",
};
const zhAction: Record<string, string> = {
  start: "开始",
  continue: "继续观察",
  ramp: "扩大比例",
  promote: "全量发布",
  rollback: "回滚",
  halt: "暂停",
};
const enAction: Record<string, string> = {
  start: "Start",
  continue: "Continue",
  ramp: "Ramp up",
  promote: "Promote",
  rollback: "Roll back",
  halt: "Halt",
};

// Why a rollout decided what it did; the server's reason sentence (English, with the numbers) stays beside it.
const zhReason: Record<RecordedReasonCode, string> = {
  started_automatically: "分析任务提出新版本后自动开始灰度",
  started_by_operator: "由管理员开始",
  auto_start_disabled: "未开启自动灰度",
  halted_awaiting_operator: "实验已暂停，等待管理员处理",
  sample_ratio_mismatch: "流量分配比例与设定不符（样本比例失衡），已暂停",
  guardrail_degraded: "护栏指标显著变差",
  minimum_duration_not_met: "本阶段尚未达到最短运行时间",
  minimum_samples_not_met: "样本（已标注或已评分）尚未达到最少数量",
  minimum_exposure_not_met: "安全阶段：候选版本的曝光尚未达到最少数量",
  guardrails_clean: "安全阶段已满足时长和曝光，护栏指标均正常（不代表候选更好）",
  no_significant_difference_yet: "尚无显著差异，继续观察",
  candidate_superior: "候选版本错误率显著更低",
  candidate_non_inferior: "候选版本不劣于对照版本",
  candidate_futile: "已可排除足够的改进幅度（无效性停止），保留对照版本",
  inconclusive_at_maximum_duration: "达到最长运行时间仍无定论，保留对照版本",
  samples_not_reached_at_maximum_duration: "达到最长运行时间仍未攒够样本，保留对照版本",
  operator_override: "管理员手动决定",
  retired_by_operator: "管理员下线了该版本",
  holdback_clean: "发布后的保留组观察期结束，新版本表现正常",
  holdback_degraded: "发布后的保留组显示新版本明显变差，已回退",
  too_few_sessions: "报告问题的会话太少，暂不自动开始灰度",
};
const enReason: Record<RecordedReasonCode, string> = {
  started_automatically: "Started automatically for a version the analysis proposed",
  started_by_operator: "Started by an operator",
  auto_start_disabled: "Automatic canaries are off",
  halted_awaiting_operator: "Halted, waiting for an operator",
  sample_ratio_mismatch: "Traffic split differs from the configured one (sample ratio mismatch)",
  guardrail_degraded: "A guardrail got significantly worse",
  minimum_duration_not_met: "Stage has not run its minimum time yet",
  minimum_samples_not_met: "Not enough labelled (or scored) samples yet",
  minimum_exposure_not_met: "Safety stage: the candidate's exposure is below its minimum",
  guardrails_clean:
    "Safety stage passed: minimum time and exposure, guardrails clean (not a claim of improvement)",
  no_significant_difference_yet: "No significant difference yet",
  candidate_superior: "Candidate's error rate is significantly lower",
  candidate_non_inferior: "Candidate is not worse than control",
  candidate_futile: "The improvement needed is ruled out (futility): control stays",
  inconclusive_at_maximum_duration: "Inconclusive at the maximum duration: control stays",
  samples_not_reached_at_maximum_duration: "Too few samples by the maximum duration: control stays",
  operator_override: "Decided by an operator",
  retired_by_operator: "Retired by an operator",
  holdback_clean: "The holdback after the promotion ended with the new version doing fine",
  holdback_degraded: "The holdback showed the new version significantly worse: reverted",
  too_few_sessions: "Too few sessions reported mistakes to start a canary automatically",
};

/** Keyed by the server's codes; a code missing here is shown as the server sent it. */
export const rolloutWords: Record<
  "zh" | "en",
  {
    experimentStatus: Record<string, string>;
    action: Record<string, string>;
    reason: Record<string, string> & Record<RecordedReasonCode, string>;
  }
> = {
  zh: { experimentStatus: zhExperimentStatus, action: zhAction, reason: zhReason },
  en: { experimentStatus: enExperimentStatus, action: enAction, reason: enReason },
};
