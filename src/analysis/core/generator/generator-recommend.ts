/**
 * The recommendation for a generator task: "no change" unless the bad-turn trigger fired AND a replayed chat
 * candidate passed the generator gate; among passing candidates the largest gain (generatorGateGain: fewer
 * targeted problems on the low-quality slice, closer to users' edits) wins, then the listing order (exemplars
 * from edits first: they are the users' own answers). Pure.
 */
import {
  combine,
  errorEvidence,
  noChangeConfidence,
  sampleComponent,
  type ConfidenceScore,
} from "../confidence-score.js";
import type { TriggerDecision } from "../trigger-policy.js";
import type { BilingualText } from "../trigger-stats.js";
import { generatorGateGain, type GeneratorGateResult } from "./generator-gate.js";

export interface GeneratorRecommendInput {
  trigger: TriggerDecision;
  currentVersionId: string | null;
  /** Candidates in listing order, with their gate result (null = not replayed). */
  candidates: readonly { strategy: string; gate: GeneratorGateResult | null }[];
  draftVersionId: string;
}

export type GeneratorRecommendation =
  | { decision: "no_change"; reason: BilingualText }
  | {
      decision: "create_draft";
      versionId: string;
      fromVersionId: string;
      candidate: string;
      reason: BilingualText;
    };

export function recommendGenerator(input: GeneratorRecommendInput): {
  recommendation: GeneratorRecommendation;
  confidence: ConfidenceScore;
} {
  const noChange = (reason: BilingualText) => ({
    recommendation: { decision: "no_change" as const, reason },
    confidence: noChangeConfidence(input.trigger),
  });
  if (input.trigger.decision === "no_change") return noChange(input.trigger.reason);
  if (input.candidates.length === 0) {
    return noChange({
      en: "no chat candidate could be built from the feedback",
      zh: "未能根据反馈生成对话候选提示词",
    });
  }
  const replayed = input.candidates.filter((entry) => entry.gate !== null);
  if (replayed.length === 0) {
    return noChange({
      en: `${input.candidates.length} chat candidate(s) built but none replayed, so none can be recommended`,
      zh: `已生成 ${input.candidates.length} 个对话候选，但均未经过回放验证，暂不推荐`,
    });
  }
  const passing = replayed
    .map((entry, index) => ({ entry, index, gain: generatorGateGain(entry.gate!) }))
    .filter(({ entry }) => entry.gate!.pass)
    // Gains within 0.05 are noise on a few dozen replies: the listing order decides then.
    .sort((a, b) => (Math.abs(b.gain - a.gain) >= 0.05 ? b.gain - a.gain : a.index - b.index));
  const best = passing[0]?.entry;
  if (best === undefined) {
    const why = replayed.map((entry) => `${entry.strategy}: ${entry.gate!.reason}`).join("; ");
    return noChange({
      en: `no chat candidate passed the gate (${why})`,
      zh: `没有对话候选通过回放检查（${why}）`,
    });
  }
  const gate = best.gate!;
  return {
    recommendation: {
      decision: "create_draft",
      versionId: input.draftVersionId,
      fromVersionId: input.currentVersionId ?? "",
      candidate: best.strategy,
      reason: {
        en: `${input.trigger.reason.en}; chat candidate "${best.strategy}" passed the gate: ${gate.reason} (online quality is left to the canary)`,
        zh: `${input.trigger.reason.zh}；对话候选"${best.strategy}"通过回放检查：${gate.reason}（线上质量由灰度发布判断）`,
      },
    },
    confidence: generatorDraftConfidence(input.trigger, gate),
  };
}

/** 0.3·S + 0.3·E + 0.4·C: sample size, bad-turn evidence, and the share of property checks the candidate does not worsen. */
export function generatorDraftConfidence(
  trigger: TriggerDecision,
  gate: GeneratorGateResult,
): ConfidenceScore {
  const held = gate.checks.filter((check) => check.candidate <= check.current).length;
  return combine("0.3·S + 0.3·E + 0.4·C", [
    sampleComponent(trigger, 0.3),
    errorEvidence(trigger, 0.3),
    {
      name: "reply checks held",
      value: gate.checks.length === 0 ? 0 : held / gate.checks.length,
      weight: 0.4,
      explanation: `C = ${held} of ${gate.checks.length} reply properties no more frequent than with the current version`,
    },
  ]);
}
