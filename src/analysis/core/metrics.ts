import type { InteractionWithFeedback, TaskDefinition } from "./analysis-input.js";
import { explicitFeedbackTypes } from "./analysis-input.js";
import { perLabelErrors, type LabelErrorRow } from "./per-label-errors.js";
import type { GroundTruth } from "./resolve-ground-truth.js";
import { proportionInterval } from "./proportion-interval.js";

/** Options of the metrics fold. */
export interface MetricsOptions {
  tasks: readonly TaskDefinition[];
  /** Width of a time window in ms, e.g. 86_400_000 for a day. Windows are keyed by the interaction's createdAt. */
  bucketMs: number;
  /** Shifts window boundaries, e.g. -8 h so that days start at midnight in UTC+8. Default 0 (UTC). */
  bucketOffsetMs?: number;
  /** Two-sided confidence of the Wilson intervals. Default 0.95. */
  confidence?: number;
}

/** One cell of a confusion matrix; null gold = wrong with gold unknown, null predicted = no valid prediction. */
export interface ConfusionCell {
  gold: string | null;
  predicted: string | null;
  count: number;
}

/**
 * Metrics of one task × prompt version × time window (or over the whole run when `bucketStart` is null).
 * Field names follow the dashboard series in docs/api.md.
 */
export interface MetricsRow {
  task: string;
  promptVersionId: string;
  /** epoch ms of the window start; null for the totals row. */
  bucketStart: number | null;
  interactions: number;
  feedbackEvents: number;
  /** Interactions with at least one explicit feedback event (👍/👎, correction, rating, reply edit). */
  explicitFeedback: number;
  /** explicitFeedback / interactions. */
  coverage: number | null;
  /** Interactions whose correctness is known. */
  labelled: number;
  correct: number;
  errors: number;
  accuracy: number | null;
  accuracyLow: number | null;
  accuracyHigh: number | null;
  errorRate: number | null;
  errorRateLow: number | null;
  errorRateHigh: number | null;
  /** Non-zero cells only, ordered by the task's label order (unknown last). */
  confusion: ConfusionCell[];
  /** Per label, in the task's order: its error rate as a prediction and its miss rate as a gold label. */
  perLabel: LabelErrorRow[];
  /** Interactions whose label feedback disagreed with itself (see resolveGroundTruth). */
  conflicts: number;
  /** Label events ignored as invalid. */
  ignoredEvents: number;
  /** Interactions with a rating; the latest rating of each counts. */
  ratings: number;
  meanRating: number | null;
  /** Interactions the user left the page on. */
  exits: number;
  exitRate: number | null;
  /**
   * Interactions credited with an exit through their reply: a later interaction whose parentId is this one (the
   * chat reply of an all-in-one turn, whose parent is the classification) has an exit. The rollout counts these as
   * the classification's exits; here they are kept apart from `exits` (exits on the interaction itself). Counted
   * once per interaction; a reply arriving more than `recentParents` interactions after its parent is not linked.
   */
  exitsThroughReplies: number;
  exitThroughReplyRate: number | null;
  followUps: number;
  copies: number;
  /** Replies whose answer the user judged ("答案正确吗?", the latest judgement counts), and the right ones. */
  qaChecked: number;
  qaCorrect: number;
  qaAccuracy: number | null;
  qaAccuracyLow: number | null;
  qaAccuracyHigh: number | null;
}

/** A streaming fold: memory grows with tasks × versions × windows, never with the number of interactions. */
export interface MetricsAccumulator {
  add(item: InteractionWithFeedback, truth: GroundTruth): void;
  /** Rows per window, oldest first, grouped by task then version. */
  series(): MetricsRow[];
  /** One row per task × version over everything added. */
  totals(): MetricsRow[];
}

interface Counts {
  interactions: number;
  feedbackEvents: number;
  explicitFeedback: number;
  labelled: number;
  correct: number;
  conflicts: number;
  ignoredEvents: number;
  ratings: number;
  ratingSum: number;
  exits: number;
  exitsThroughReplies: number;
  followUps: number;
  copies: number;
  qaChecked: number;
  qaCorrect: number;
  /** (labels + 1)² cells; index `labels` stands for null. */
  confusion: Float64Array;
}

interface VersionCounts {
  task: string;
  promptVersionId: string;
  labels: readonly string[];
  total: Counts;
  buckets: Map<number, Counts>;
}

/** How many of the latest interactions a reply's exit can be credited to (memory stays bounded). */
export const recentParents = 100_000;

export function createMetricsAccumulator(options: MetricsOptions): MetricsAccumulator {
  const { bucketMs } = options;
  const offset = options.bucketOffsetMs ?? 0;
  const confidence = options.confidence ?? 0.95;
  const labelsByTask = new Map(options.tasks.map((task) => [task.task, task.labels ?? []]));
  const versions = new Map<string, VersionCounts>();
  // The latest interactions by id, for crediting a reply's exit to its parent (bounded, oldest dropped first).
  const recent = new Map<string, { counts: Counts[]; credited: boolean }>();

  function versionCounts(task: string, promptVersionId: string): VersionCounts {
    const key = `${task}\u0000${promptVersionId}`;
    let entry = versions.get(key);
    if (entry === undefined) {
      const labels = labelsByTask.get(task) ?? [];
      entry = { task, promptVersionId, labels, total: emptyCounts(labels.length), buckets: new Map() };
      versions.set(key, entry);
    }
    return entry;
  }

  return {
    add(item, truth) {
      const { interaction, events } = item;
      const entry = versionCounts(interaction.task, interaction.promptVersionId);
      const bucketStart = Math.floor((interaction.createdAt - offset) / bucketMs) * bucketMs + offset;
      let bucket = entry.buckets.get(bucketStart);
      if (bucket === undefined) {
        bucket = emptyCounts(entry.labels.length);
        entry.buckets.set(bucketStart, bucket);
      }
      let explicit = false;
      let rating: number | null = null;
      let exited = false;
      let followedUp = false;
      let copied = false;
      let answerCorrect: boolean | null = null;
      for (const event of events) {
        if (explicitFeedbackTypes.has(event.type)) explicit = true;
        if (event.type === "rating") rating = event.payload.score;
        else if (event.type === "exit") exited = true;
        else if (event.type === "follow_up") followedUp = true;
        else if (event.type === "copy") copied = true;
        else if (event.type === "answer_correct") answerCorrect = event.payload.correct;
      }
      if (exited && interaction.parentId != null) {
        const parent = recent.get(interaction.parentId);
        if (parent !== undefined && !parent.credited) {
          parent.credited = true;
          for (const counts of parent.counts) counts.exitsThroughReplies += 1;
        }
      }
      recent.set(interaction.id, { counts: [entry.total, bucket], credited: false });
      if (recent.size > recentParents) recent.delete(recent.keys().next().value!);
      const labelCount = entry.labels.length;
      const cell =
        truth.correct === null
          ? -1
          : indexOf(entry.labels, truth.gold) * (labelCount + 1) +
            indexOf(entry.labels, interaction.predictedLabel);
      for (const counts of [entry.total, bucket]) {
        counts.interactions += 1;
        counts.feedbackEvents += events.length;
        if (explicit) counts.explicitFeedback += 1;
        if (truth.correct !== null) {
          counts.labelled += 1;
          if (truth.correct) counts.correct += 1;
          counts.confusion[cell]! += 1;
        }
        if (truth.conflict) counts.conflicts += 1;
        counts.ignoredEvents += truth.ignoredEvents;
        if (rating !== null) {
          counts.ratings += 1;
          counts.ratingSum += rating;
        }
        if (exited) counts.exits += 1;
        if (followedUp) counts.followUps += 1;
        if (copied) counts.copies += 1;
        if (answerCorrect !== null) {
          counts.qaChecked += 1;
          if (answerCorrect) counts.qaCorrect += 1;
        }
      }
    },
    series() {
      const rows: MetricsRow[] = [];
      for (const entry of sortedVersions(versions)) {
        for (const start of [...entry.buckets.keys()].sort((a, b) => a - b)) {
          rows.push(toRow(entry, start, entry.buckets.get(start)!, confidence));
        }
      }
      return rows;
    },
    totals() {
      return sortedVersions(versions).map((entry) => toRow(entry, null, entry.total, confidence));
    },
  };
}

function indexOf(labels: readonly string[], label: string | null): number {
  const index = label === null ? -1 : labels.indexOf(label);
  return index === -1 ? labels.length : index;
}

function emptyCounts(labelCount: number): Counts {
  return {
    interactions: 0,
    feedbackEvents: 0,
    explicitFeedback: 0,
    labelled: 0,
    correct: 0,
    conflicts: 0,
    ignoredEvents: 0,
    ratings: 0,
    ratingSum: 0,
    exits: 0,
    exitsThroughReplies: 0,
    followUps: 0,
    copies: 0,
    qaChecked: 0,
    qaCorrect: 0,
    confusion: new Float64Array((labelCount + 1) * (labelCount + 1)),
  };
}

function sortedVersions(versions: Map<string, VersionCounts>): VersionCounts[] {
  return [...versions.values()].sort(
    (a, b) => compareText(a.task, b.task) || compareText(a.promptVersionId, b.promptVersionId),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toRow(
  entry: VersionCounts,
  bucketStart: number | null,
  counts: Counts,
  confidence: number,
): MetricsRow {
  const accuracy = proportionInterval(counts.correct, counts.labelled, confidence);
  const qaAccuracy = proportionInterval(counts.qaCorrect, counts.qaChecked, confidence);
  const errors = counts.labelled - counts.correct;
  const errorRate = proportionInterval(errors, counts.labelled, confidence);
  const size = entry.labels.length + 1;
  const names = [...entry.labels, null];
  const confusion: ConfusionCell[] = [];
  for (let gold = 0; gold < size; gold += 1) {
    for (let predicted = 0; predicted < size; predicted += 1) {
      const count = counts.confusion[gold * size + predicted]!;
      if (count > 0) confusion.push({ gold: names[gold]!, predicted: names[predicted]!, count });
    }
  }
  return {
    task: entry.task,
    promptVersionId: entry.promptVersionId,
    bucketStart,
    interactions: counts.interactions,
    feedbackEvents: counts.feedbackEvents,
    explicitFeedback: counts.explicitFeedback,
    coverage: ratio(counts.explicitFeedback, counts.interactions),
    labelled: counts.labelled,
    correct: counts.correct,
    errors,
    accuracy: accuracy.estimate,
    accuracyLow: accuracy.low,
    accuracyHigh: accuracy.high,
    errorRate: errorRate.estimate,
    errorRateLow: errorRate.low,
    errorRateHigh: errorRate.high,
    confusion,
    perLabel: perLabelErrors(confusion, entry.labels, confidence),
    conflicts: counts.conflicts,
    ignoredEvents: counts.ignoredEvents,
    ratings: counts.ratings,
    meanRating: ratio(counts.ratingSum, counts.ratings),
    exits: counts.exits,
    exitRate: ratio(counts.exits, counts.interactions),
    exitsThroughReplies: counts.exitsThroughReplies,
    exitThroughReplyRate: ratio(counts.exitsThroughReplies, counts.interactions),
    followUps: counts.followUps,
    copies: counts.copies,
    qaChecked: counts.qaChecked,
    qaCorrect: counts.qaCorrect,
    qaAccuracy: qaAccuracy.estimate,
    qaAccuracyLow: qaAccuracy.low,
    qaAccuracyHigh: qaAccuracy.high,
  };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
