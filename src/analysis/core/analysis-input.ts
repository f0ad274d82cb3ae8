/**
 * The plain data the analysis core consumes. The storage layer produces exactly these shapes and streams them,
 * one interaction at a time, in interaction order; nothing in `src/analysis` does I/O.
 */
import type { FeedbackEventRecord, FeedbackType } from "../../feedback/feedback-event.js";

/** A stored model call (one interaction) as the analysis sees it. */
export interface StoredInteraction {
  id: string;
  task: string;
  /** e.g. "sentiment@v1" */
  promptVersionId: string;
  input: string;
  /** The model's reply (generators) or raw answer; absent where the caller has none. Dwell and edits are judged against it. */
  output?: string | null;
  /** The interaction this one follows (a reply's classification), if any. */
  parentId?: string | null;
  /** The label the model produced; null for generator tasks or when no valid label came out. */
  predictedLabel: string | null;
  confidence: number | null;
  /** epoch ms */
  createdAt: number;
  sessionHash: string | null;
}

/** One feedback event, discriminated by `type`; its payload is the one `POST /api/feedback` accepted. */
export type FeedbackEvent = FeedbackEventRecord;

export type FeedbackEventType = FeedbackType;

/** One stored interaction of a task, with all its feedback events, grouped. */
export interface InteractionWithFeedback {
  interaction: StoredInteraction;
  /** Sorted by id (ascending). */
  events: FeedbackEvent[];
}

/**
 * What the analysis needs to know about a task. A task with `labels` is a classifier (ground truth, accuracy and
 * error mining apply); a task without labels is a generator (only coverage, ratings and exits apply).
 */
export interface TaskDefinition {
  task: string;
  labels?: readonly string[];
}

export { explicitFeedbackTypes } from "../../feedback/feedback-types.js";
