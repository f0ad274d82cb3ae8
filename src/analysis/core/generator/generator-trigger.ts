/**
 * When the analysis proposes a chat (generator) prompt: the same policy as for classifiers (threshold, minimum
 * samples, Wilson lower bound, new feedback since the watermark), applied to the current version's bad-turn rate
 * over its scored turns. The wording says turns and bad-turn rate instead of labels and error rate. Pure.
 */
import { decideTrigger, type TriggerDecision, type TriggerPolicy } from "../trigger-policy.js";
import type { BilingualText } from "../trigger-stats.js";

export interface GeneratorTriggerEvidence {
  /** The current version's scored turns and bad turns (prior weights, as the rollout counts them). */
  scored: number;
  badTurns: number;
  /** With a watermark: current-version turns with feedback newer than it. */
  newScored: number | null;
}

const wording: ReadonlyArray<[RegExp, string]> = [
  [/labelled samples/g, "scored turns"],
  [/labelled feedback/g, "feedback"],
  [/error rate/g, "bad-turn rate"],
  [/带标注的样本|带标注样本/g, "有评分的对话轮次"],
  [/标注反馈/g, "反馈"],
  [/错误率/g, "差评轮次率"],
];

function reword(text: BilingualText): BilingualText {
  const apply = (value: string) => wording.reduce((result, [from, to]) => result.replace(from, to), value);
  return { en: apply(text.en), zh: apply(text.zh) };
}

export function decideGeneratorTrigger(
  evidence: GeneratorTriggerEvidence,
  policy: TriggerPolicy,
): TriggerDecision {
  const decision = decideTrigger(
    { current: { labelled: evidence.scored, errors: evidence.badTurns }, newLabelled: evidence.newScored },
    policy,
  );
  return { ...decision, reason: reword(decision.reason), explanation: reword(decision.explanation) };
}
