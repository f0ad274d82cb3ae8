/**
 * The reason tags users attach to label corrections (矛盾情绪 mixed, 讽刺 sarcasm, 否定 negation, 跑题 off topic,
 * other) as evidence on a mined pattern: their distribution among the pattern's sampled errors, and the structure
 * they point to when one tag dominates. Pure.
 */
import { correctionReasons, type CorrectionReason } from "../../../feedback/feedback-types.js";

export type { PatternReasonTags } from "../mined-pattern.js";
import type { LabelledExample } from "../labelled-example.js";
import type { MinedPattern, PatternReasonTags } from "../mined-pattern.js";
import { findPatternMatch } from "../pattern-matcher.js";
import type { StructuralPatternId } from "../structural-patterns.js";

const tagStructures: Partial<Record<CorrectionReason, StructuralPatternId>> = {
  mixed: "mixed",
  sarcasm: "sarcasm",
  negation: "negation",
};

/** Fewest tagged errors before the tags may choose a structure. */
export const minimumTaggedErrors = 3;

/** Counts the tags of the sampled errors (`errors`, misclassified with the users' reasons) that contain `pattern`. */
export function patternReasonTags(
  pattern: MinedPattern,
  errors: readonly LabelledExample[],
): PatternReasonTags {
  const counts = Object.fromEntries(correctionReasons.map((reason) => [reason, 0])) as Record<
    CorrectionReason,
    number
  >;
  let sampledErrors = 0;
  let tagged = 0;
  for (const example of errors) {
    if (example.correct || findPatternMatch(pattern, example.text) === null) continue;
    sampledErrors += 1;
    const reasons = example.userReasons.filter((reason): reason is CorrectionReason =>
      (correctionReasons as readonly string[]).includes(reason),
    );
    if (reasons.length > 0) tagged += 1;
    for (const reason of new Set(reasons)) counts[reason] += 1;
  }
  let structure: StructuralPatternId | null = null;
  if (tagged >= minimumTaggedErrors) {
    const [top] = (Object.entries(tagStructures) as Array<[CorrectionReason, StructuralPatternId]>)
      .map(([reason, id]) => ({ id, count: counts[reason] }))
      .sort((a, b) => b.count - a.count);
    if (top && top.count * 2 >= tagged) structure = top.id;
  }
  return { sampledErrors, tagged, counts, structure };
}
