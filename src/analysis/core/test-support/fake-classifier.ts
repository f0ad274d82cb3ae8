import type { CandidatePrompt, CurrentPrompt } from "../candidates/candidate-prompt.js";
import type { ReplayPredictions } from "../replay-gate.js";
import type { ReplayItem } from "../replay-sets.js";

/**
 * A fake of the served model for replay tests: it answers what the current version answered, except that it
 * obeys keyword rules written in the prompt ("含有'X'的评论通常是'Y'"), the way a well-behaved model would.
 */
export function fakeReplay(
  prompt: CurrentPrompt | CandidatePrompt,
  items: readonly ReplayItem[],
): ReplayPredictions {
  const rules = [...prompt.systemPrompt.matchAll(/含有'([^']+)'的评论通常是'([^']+)'/g)].map((match) => ({
    term: match[1]!,
    label: match[2]!,
  }));
  return Object.fromEntries(
    items.map((item) => [
      item.id,
      rules.find((rule) => item.input.includes(rule.term))?.label ?? item.recordedPrediction,
    ]),
  );
}
