import type { FeedbackEvent, InteractionWithFeedback } from "./analysis-input.js";

/** Which feedback decided the ground truth. */
export type GroundTruthSource =
  /** A `label_correct` event named the gold label. */
  | "correction"
  /** 👍: the predicted label was right. */
  | "thumbs_up"
  /** 👎 on a binary task: the gold label is the other label. */
  | "thumbs_down_binary"
  /** 👎 on a task with more than two labels: wrong, gold unknown. */
  | "thumbs_down_unknown"
  /** No usable label feedback. */
  | "none";

/** The resolved truth for one interaction, with the reason it was resolved that way. */
export interface GroundTruth {
  /** The gold label, or null when unknown. */
  gold: string | null;
  /** Whether the predicted label was right; null when there is no usable label feedback. */
  correct: boolean | null;
  source: GroundTruthSource;
  /** True when the interaction carried label feedback that disagrees with the resolved truth. */
  conflict: boolean;
  reason: string;
  /** The reasons the user attached to the winning correction (e.g. "sarcasm"). */
  userReasons: readonly string[];
  /** Label events that were ignored as invalid (unknown label, or a thumb with nothing to judge). */
  ignoredEvents: number;
}

type LabelEvent = Extract<FeedbackEvent, { type: "label_confirm" | "label_correct" }>;

/**
 * Resolves one interaction's label feedback into a ground truth.
 *
 * Rule (applied in this order; events are ordered by id, which is arrival order):
 * 1. Corrections naming a label outside the task's labels, and any label feedback on a task without labels, are
 *    ignored (counted in `ignoredEvents`, mentioned in `reason`).
 * 2. An explicit correction beats any thumb, and the latest valid correction wins: gold = its label, correct =
 *    (gold = predicted). A correction that names the predicted label therefore acts as a confirmation.
 * 3. Without a valid correction, the latest thumb wins (users change their minds): 👍 → gold = predicted;
 *    👎 on a binary task → gold = the other label; 👎 otherwise → wrong with gold unknown.
 * 4. A thumb on an interaction without a valid predicted label says nothing about a label: 👍 is ignored, 👎 counts
 *    as wrong with gold unknown.
 * 5. An undo (`label_confirm` with `withdrawn`) drops every label event before it; later ones count as usual.
 *
 * `conflict` is true when any other valid label event disagrees with the resolved truth (👍 then a different
 * correction, two different corrections, 👍 then 👎, 👎 then a correction naming the predicted label).
 */
export function resolveGroundTruth(
  item: InteractionWithFeedback,
  labels: readonly string[] | undefined,
): GroundTruth {
  // Hot path (once per interaction): most interactions carry no label feedback at all.
  let labelEventCount = 0;
  let sorted = true;
  let previousId = -Infinity;
  for (const event of item.events) {
    if (event.type === "label_confirm" || event.type === "label_correct") labelEventCount += 1;
    if (event.id < previousId) sorted = false;
    previousId = event.id;
  }
  if (labelEventCount === 0) return noFeedback;
  if (labels === undefined || labels.length === 0) {
    return none("label feedback on a task without labels is ignored", labelEventCount);
  }

  const predicted = item.interaction.predictedLabel;
  const predictedIsValid = predicted !== null && labels.includes(predicted);
  const notes: string[] = [];
  let ignored = 0;
  const corrections: Extract<LabelEvent, { type: "label_correct" }>[] = [];
  const thumbs: Extract<LabelEvent, { type: "label_confirm" }>[] = [];
  for (const event of sorted ? item.events : [...item.events].sort((a, b) => a.id - b.id)) {
    if (event.type === "label_correct") {
      if (labels.includes(event.payload.label)) corrections.push(event);
      else {
        ignored += 1;
        notes.push(`ignored correction to unknown label "${event.payload.label}"`);
      }
    } else if (event.type !== "label_confirm") continue;
    else if (event.payload.withdrawn) {
      // The user undid their verdict: what they said before no longer counts.
      corrections.length = 0;
      thumbs.length = 0;
      notes.push("an undo withdrew the earlier label feedback");
    } else if (!predictedIsValid && event.payload.correct) {
      ignored += 1;
      notes.push("ignored 👍 on an interaction without a valid predicted label");
    } else thumbs.push(event);
  }
  const suffix = notes.length > 0 ? `; ${notes.join("; ")}` : "";

  const latestCorrection = corrections.at(-1);
  if (latestCorrection !== undefined) {
    const gold = latestCorrection.payload.label;
    const correct = predictedIsValid && gold === predicted;
    const conflict =
      corrections.some((event) => event.payload.label !== gold) ||
      thumbs.some((event) => event.payload.correct !== correct);
    const base =
      corrections.length > 1
        ? `latest of ${corrections.length} corrections says "${gold}"`
        : `correction says "${gold}"`;
    return {
      gold,
      correct,
      source: "correction",
      conflict,
      reason: `${base}${conflict ? " (explicit correction beats conflicting feedback)" : ""}${suffix}`,
      userReasons: latestCorrection.payload.reasons ?? [],
      ignoredEvents: ignored,
    };
  }

  const latestThumb = thumbs.at(-1);
  if (latestThumb === undefined) return none(`no valid label feedback${suffix}`, ignored);
  const conflict = thumbs.some((event) => event.payload.correct !== latestThumb.payload.correct);
  const conflictNote = conflict ? " (latest thumb wins over earlier ones)" : "";
  if (latestThumb.payload.correct && predictedIsValid) {
    return truth(
      predicted,
      true,
      "thumbs_up",
      conflict,
      `👍 confirms "${predicted}"${conflictNote}${suffix}`,
      ignored,
    );
  }
  const other =
    labels.length === 2 && predictedIsValid ? labels.find((label) => label !== predicted) : undefined;
  if (other !== undefined) {
    return truth(
      other,
      false,
      "thumbs_down_binary",
      conflict,
      `👎 on a binary task means "${other}"${conflictNote}${suffix}`,
      ignored,
    );
  }
  const why = predictedIsValid
    ? "👎 on a task with more than two labels: wrong, gold unknown"
    : "👎 without a valid predicted label: wrong, gold unknown";
  return truth(null, false, "thumbs_down_unknown", conflict, `${why}${conflictNote}${suffix}`, ignored);
}

function truth(
  gold: string | null,
  correct: boolean,
  source: GroundTruthSource,
  conflict: boolean,
  reason: string,
  ignoredEvents: number,
): GroundTruth {
  return { gold, correct, source, conflict, reason, userReasons: [], ignoredEvents };
}

const noFeedback: GroundTruth = Object.freeze({
  gold: null,
  correct: null,
  source: "none",
  conflict: false,
  reason: "no label feedback",
  userReasons: Object.freeze([]),
  ignoredEvents: 0,
});

function none(reason: string, ignoredEvents: number): GroundTruth {
  return {
    gold: null,
    correct: null,
    source: "none",
    conflict: false,
    reason,
    userReasons: [],
    ignoredEvents,
  };
}
