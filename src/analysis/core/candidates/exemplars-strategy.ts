import type { CandidateContext, CandidatePrompt, CandidateStrategy } from "./candidate-prompt.js";
import type { ExemplarSelectionOptions } from "./select-exemplars.js";
import { selectExemplars } from "./select-exemplars.js";

export type ExemplarsStrategyOptions = Omit<
  ExemplarSelectionOptions,
  "labels" | "patterns" | "estimateTokens"
>;

/**
 * Replaces the few-shot examples with a small, diverse, label-balanced set chosen from corrected interactions
 * (see selectExemplars). The system prompt is unchanged.
 */
export function createExemplarsStrategy(options: ExemplarsStrategyOptions = {}): CandidateStrategy {
  return {
    name: "exemplars",
    propose(context: CandidateContext): CandidatePrompt | null {
      const selected = selectExemplars(context.pool, {
        ...options,
        labels: context.task.labels,
        patterns: context.patterns,
        estimateTokens: context.estimateTokens,
      });
      const labelsUsed = new Set(selected.map((item) => item.example.gold));
      if (selected.length < 2 || labelsUsed.size < Math.min(2, context.task.labels.length)) {
        return context.skip(
          `only ${selected.length} usable examples covering ${labelsUsed.size} label(s) in the pool of ${context.pool.length}`,
        );
      }
      const fewShot = selected.map((item) => ({ input: item.example.text, label: item.example.gold }));
      const perLabel = context.task.labels
        .map((label) => `${label} ${selected.filter((item) => item.example.gold === label).length}`)
        .join(", ");
      const corrected = selected.filter((item) => !item.example.correct).length;
      const targetPatterns = [...new Set(selected.flatMap((item) => item.patterns))];
      const titles = context.patterns
        .filter((pattern) => targetPatterns.includes(pattern.id))
        .map((pattern) => pattern.title);
      const tokens = selected.reduce((sum, item) => sum + item.tokens, 0);
      const previous = context.current.fewShot?.length ?? 0;
      return {
        strategy: "exemplars",
        systemPrompt: context.current.systemPrompt,
        ...(context.current.params === undefined ? {} : { params: context.current.params }),
        fewShot,
        changes: [
          `${previous > 0 ? `replaced ${previous}` : "added"} few-shot examples: ${fewShot.length} (${perLabel}), about ${tokens} tokens`,
        ],
        rationale:
          `${corrected} of ${fewShot.length} examples are inputs the model got wrong and users corrected` +
          (titles.length > 0 ? `; they show the error patterns ${titles.join(", ")}` : "") +
          `; chosen by MMR from ${context.pool.length} labelled examples older than the holdout, near-duplicates removed, labels balanced`,
        targetPatterns,
      };
    },
  };
}
