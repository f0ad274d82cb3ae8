/** One side of a playground row: what a version answered for the input, or why it could not. */
export type PlaygroundAnswer =
  { label: string; confidence: number } | { reply: string } | { error: { code: string; message: string } };

/** One input run on both versions. */
export interface PlaygroundRow {
  index: number;
  input: string;
  /** The right label, when the input came from a labelled set (a misclassification's correction). */
  expected: string | null;
  baseline: PlaygroundAnswer;
  candidate: PlaygroundAnswer;
  /** Both answered and the answers differ (label, or reply text). */
  differ: boolean;
}

/** Accuracy of one side over the rows that carry an expected label and that it answered. */
export interface SideAccuracy {
  correct: number;
  answered: number;
  /** correct / answered; null when it answered none. */
  rate: number | null;
}

export interface PlaygroundSummary {
  total: number;
  /** Rows where both versions answered. */
  compared: number;
  agreed: number;
  /** agreed / compared; null when nothing was compared. */
  agreement: number | null;
  /** Rows where at least one side failed. */
  failed: number;
  /** Only when some inputs carry an expected label and the task classifies. */
  accuracy: { labelled: number; baseline: SideAccuracy; candidate: SideAccuracy } | null;
}

const answered = (answer: PlaygroundAnswer) => !("error" in answer);

/** What a row shows in the answer column: the label, or the reply trimmed (replies differ by content). */
function valueOf(answer: PlaygroundAnswer): string | null {
  if ("label" in answer) return answer.label;
  if ("reply" in answer) return answer.reply.trim();
  return null;
}

/** Whether a row's two answers differ; a failed side differs from nothing. */
export function answersDiffer(baseline: PlaygroundAnswer, candidate: PlaygroundAnswer): boolean {
  const left = valueOf(baseline);
  const right = valueOf(candidate);
  return left !== null && right !== null && left !== right;
}

function accuracyOf(rows: readonly PlaygroundRow[], side: "baseline" | "candidate"): SideAccuracy {
  let correct = 0;
  let count = 0;
  for (const row of rows) {
    const answer = row[side];
    if (!("label" in answer)) continue;
    count += 1;
    if (answer.label === row.expected) correct += 1;
  }
  return { correct, answered: count, rate: count === 0 ? null : correct / count };
}

/** The summary over the rows run so far: agreement between the versions, and accuracy where labels exist. */
export function summarisePlayground(rows: readonly PlaygroundRow[]): PlaygroundSummary {
  const compared = rows.filter((row) => answered(row.baseline) && answered(row.candidate));
  const agreed = compared.filter((row) => !row.differ).length;
  const labelled = rows.filter((row) => row.expected !== null);
  const classifies = rows.some((row) => "label" in row.baseline || "label" in row.candidate);
  return {
    total: rows.length,
    compared: compared.length,
    agreed,
    agreement: compared.length === 0 ? null : agreed / compared.length,
    failed: rows.length - compared.length,
    accuracy:
      labelled.length > 0 && classifies
        ? {
            labelled: labelled.length,
            baseline: accuracyOf(labelled, "baseline"),
            candidate: accuracyOf(labelled, "candidate"),
          }
        : null,
  };
}
