import type { TaskAnalysis } from "../analyze-feedback.js";
import type { ConfidenceScore } from "../confidence-score.js";
import { draftConfidence, noChangeConfidence } from "../confidence-score.js";
import type { ReplayGateResult } from "../replay-gate.js";
import { replayReasonZh } from "../replay-gate-reason.js";
import type { BilingualText } from "../trigger-policy.js";
import { recommendGenerator } from "../generator/generator-recommend.js";
import type { Recommendation, ReportCandidate } from "./suggestion-report.js";
import { heldForExperimentReason, type OpenExperimentHold } from "./open-experiment-hold.js";

/**
 * The recommendation for one task: "no change" unless the trigger fired AND a replayed candidate passed the gate;
 * among passing candidates the best held-out accuracy gain wins, then the best slice gain, then the listing order.
 */
export function recommend(
  analysis: TaskAnalysis,
  candidates: readonly ReportCandidate[],
  draftVersionId: string,
  openExperiment?: OpenExperimentHold,
): { recommendation: Recommendation; confidence: ConfidenceScore } {
  const noChange = (reason: BilingualText) => ({
    recommendation: { decision: "no_change" as const, reason },
    confidence: noChangeConfidence(analysis.trigger),
  });
  if (openExperiment !== undefined && analysis.trigger.decision === "create_draft") {
    return noChange(heldForExperimentReason(analysis.trigger.reason, openExperiment));
  }
  if (analysis.kind === "generator") {
    return recommendGenerator({
      trigger: analysis.trigger,
      currentVersionId: analysis.currentVersionId,
      candidates: candidates.map((entry) => ({
        strategy: entry.candidate.strategy,
        gate: entry.gate ?? null,
      })),
      draftVersionId,
    });
  }
  if (analysis.trigger.decision === "no_change") return noChange(analysis.trigger.reason);
  if (candidates.length === 0) {
    return noChange({
      en: "no candidate could be built from the feedback",
      zh: "未能根据反馈生成候选提示词",
    });
  }
  const replayed = candidates.filter((entry) => entry.replay !== null);
  if (replayed.length === 0) {
    return noChange({
      en: `${candidates.length} candidate(s) built but none replayed, so none can be recommended`,
      zh: `已生成 ${candidates.length} 个候选，但均未经过回放验证，暂不推荐`,
    });
  }
  const passing = replayed
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => entry.replay!.pass)
    .sort(
      (a, b) =>
        (b.entry.replay!.stats.heldOut.delta ?? 0) - (a.entry.replay!.stats.heldOut.delta ?? 0) ||
        (b.entry.replay!.stats.slice.delta ?? 0) - (a.entry.replay!.stats.slice.delta ?? 0) ||
        a.index - b.index,
    );
  const best = passing[0]?.entry;
  if (best === undefined) {
    const why = (describe: (replay: ReplayGateResult) => string, separator: string) =>
      replayed.map((entry) => `${entry.candidate.strategy}: ${describe(entry.replay!)}`).join(separator);
    return noChange({
      en: `no candidate passed the replay gate (${why((replay) => replay.reason, "; ")})`,
      zh: `没有候选通过回放验证（${why(replayReasonZh, "；")}）`,
    });
  }
  const replay = best.replay!;
  return {
    recommendation: {
      decision: "create_draft",
      versionId: draftVersionId,
      fromVersionId: analysis.currentVersionId ?? "",
      candidate: best.candidate.strategy,
      reason: {
        en: `${analysis.trigger.reason.en}; candidate "${best.candidate.strategy}" passed the replay gate: ${replay.reason}`,
        zh: `${analysis.trigger.reason.zh}；候选"${best.candidate.strategy}"通过回放验证：${replayReasonZh(replay)}`,
      },
    },
    confidence: draftConfidence(analysis.trigger, replay.stats),
  };
}
