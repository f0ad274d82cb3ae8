import type { BilingualText } from "../trigger-stats.js";

/**
 * A task's experiment that is still open (running, or halted for an operator). While it is, the analysis builds no
 * candidate for the task: the experiment can't be joined by a second candidate (the rollout refuses a second
 * canary), so a draft would only wait, and the next run, with more feedback, would draft another.
 */
export interface OpenExperimentHold {
  experimentId: string;
  candidateVersionId: string;
  status: "running" | "halted";
}

/** Why a fired trigger recommends no change: the open experiment comes first. */
export function heldForExperimentReason(trigger: BilingualText, open: OpenExperimentHold): BilingualText {
  const statusZh = open.status === "running" ? "进行中" : "已暂停，等待运营人员处理";
  return {
    en:
      `${trigger.en}; but experiment ${open.experimentId} (${open.candidateVersionId}) is still ${open.status}: ` +
      `no candidate is built until it is promoted or rolled back`,
    zh:
      `${trigger.zh}；但实验 ${open.experimentId}（${open.candidateVersionId}）${statusZh}：` +
      `在其推广或回滚之前不生成新的候选`,
  };
}
