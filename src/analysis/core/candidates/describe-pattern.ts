import type { MinedPattern } from "../mined-pattern.js";

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** "正面 → 负面" (gold unknown shows as "?"). */
export function directionText(predicted: string | null, gold: string | null): string {
  return `${predicted ?? "∅"} → ${gold ?? "?"}`;
}

/** One-sentence evidence for a pattern, used in rationales: counts, error rate vs baseline, z and direction. */
export function patternEvidence(pattern: MinedPattern, baseErrorRate: number | null): string {
  const base = baseErrorRate === null ? "" : ` vs ${percent(baseErrorRate)} overall`;
  const direction = pattern.dominantDirection;
  const directionPart =
    direction === null
      ? ""
      : `; ${direction.count}/${pattern.errorSupport} of its errors were ${directionText(direction.predicted, direction.gold)}`;
  const correctedPart = pattern.correctedTo === null ? "" : `; ${correctionEvidence(pattern)}`;
  return (
    `${pattern.title}: ${pattern.errorSupport} of ${pattern.support} labelled inputs containing it were misclassified ` +
    `(error rate ${percent(pattern.errorRate)}${base}, z = ${pattern.zScore.toFixed(1)})${directionPart}${correctedPart}`
  );
}

/** "users corrected 11 of 12 to 负面 (91.7%)": the direction every rule is worded from. */
export function correctionEvidence(pattern: MinedPattern): string {
  const corrected = pattern.correctedTo;
  if (corrected === null) return "no corrections, only 👎";
  return `users corrected ${corrected.count} of ${corrected.corrections} to ${corrected.label} (${percent(corrected.share)})`;
}
