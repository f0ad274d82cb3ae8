import type { CorrectionMajority, PatternDirection } from "./mined-pattern.js";

/**
 * The label users corrected a pattern's inputs to most often, with its share of those corrections (errors whose
 * right label is known; a bare 👎 is not a correction). Ties go to the label that sorts first, so the result is
 * stable; a tie never reaches a rule's usual 60% threshold anyway. Null when the pattern has no corrections.
 */
export function correctionMajority(directions: readonly PatternDirection[]): CorrectionMajority | null {
  const byLabel = new Map<string, number>();
  for (const { gold, count } of directions) {
    if (gold !== null) byLabel.set(gold, (byLabel.get(gold) ?? 0) + count);
  }
  let best: { label: string; count: number } | null = null;
  let corrections = 0;
  for (const [label, count] of byLabel) {
    corrections += count;
    if (best === null || count > best.count || (count === best.count && label < best.label))
      best = { label, count };
  }
  return best === null ? null : { ...best, corrections, share: best.count / corrections };
}
