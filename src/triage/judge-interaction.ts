import { resolveGroundTruth } from "../analysis/core/resolve-ground-truth.js";
import { toAnalysisItem } from "../analysis/job/to-analysis-item.js";
import type { InteractionWithFeedback } from "../feedback/store/interaction-store.js";

/**
 * Why an interaction counts as misclassified: the user named the right label (`correction`), or gave 👎 and the
 * right label is inferred (the other label of a binary task) or unknown (a task with more labels); 👍 is a
 * `confirmation` of the predicted label.
 */
export type ExpectedLabelSource = "correction" | "inferred" | "unknown" | "confirmation";

/** One interaction's verdict from its label feedback (resolveGroundTruth: the latest correction beats thumbs). */
export interface Judgement {
  correct: boolean;
  judgedBy: "correction" | "thumbs_down" | "thumbs_up";
  /** The right label: the user's own correction, inferred from 👎, or null when 👎 leaves it unknown. */
  expectedLabel: string | null;
  expectedLabelSource: ExpectedLabelSource;
  /** The reason tags the user attached to the winning correction. */
  reasons: readonly string[];
  /** Other label feedback on the interaction disagrees with the verdict. */
  conflict: boolean;
}

const sourceOf = {
  correction: { judgedBy: "correction", expectedLabelSource: "correction" },
  thumbs_up: { judgedBy: "thumbs_up", expectedLabelSource: "confirmation" },
  thumbs_down_binary: { judgedBy: "thumbs_down", expectedLabelSource: "inferred" },
  thumbs_down_unknown: { judgedBy: "thumbs_down", expectedLabelSource: "unknown" },
} as const;

/** The verdict of an interaction's label feedback, or null when it has none that counts. */
export function judgeInteraction(
  stored: InteractionWithFeedback,
  labels: readonly string[] | undefined,
): Judgement | null {
  const truth = resolveGroundTruth(toAnalysisItem(stored), labels);
  if (truth.source === "none" || truth.correct === null) return null;
  return {
    correct: truth.correct,
    ...sourceOf[truth.source],
    expectedLabel: truth.gold,
    reasons: truth.userReasons,
    conflict: truth.conflict,
  };
}
