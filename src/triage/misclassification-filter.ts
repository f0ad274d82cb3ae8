import type { PatternRef } from "../analysis/core/pattern-matcher.js";
import type { Judgement } from "./judge-interaction.js";

/** The filters of the misclassification list; every one is optional. */
export interface MisclassificationFilter {
  task?: string;
  /** A prompt version id (`sentiment@v2`). */
  version?: string;
  /** Only inputs matching this pattern of a stored report. */
  pattern?: PatternRef;
  /** The label the version answered. */
  predicted?: string;
  /** The right label (a correction's, or inferred from 👎). */
  expected?: string;
  /** A reason tag the user attached to the correction. */
  reason?: string;
  /** How the interaction was judged wrong. */
  judgedBy?: "correction" | "thumbs_down";
  /** Text the (masked) input contains. */
  search?: string;
  /** Inclusive lower bound on createdAt (epoch ms). */
  since?: number;
}

/** The filters applied after the verdict (the store applies task, version, search and since). */
export function judgementMatches(
  filter: MisclassificationFilter,
  predicted: string | null,
  judgement: Judgement,
): boolean {
  return (
    (filter.predicted === undefined || predicted === filter.predicted) &&
    (filter.expected === undefined || judgement.expectedLabel === filter.expected) &&
    (filter.reason === undefined || judgement.reasons.includes(filter.reason)) &&
    (filter.judgedBy === undefined || judgement.judgedBy === filter.judgedBy)
  );
}
