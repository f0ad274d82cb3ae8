/**
 * The plain data the analysis core consumes. The storage layer produces exactly these shapes and streams them,
 * one interaction at a time, in interaction order; nothing in `src/analysis` does I/O.
 */

/** A stored model call (one interaction) as the analysis sees it. */
export interface StoredInteraction {
  id: string;
  task: string;
  /** e.g. "sentiment@v1" */
  promptVersionId: string;
  input: string;
  /** The label the model produced; null for generator tasks or when no valid label came out. */
  predictedLabel: string | null;
  confidence: number | null;
  /** epoch ms */
  createdAt: number;
  sessionHash: string | null;
}

interface FeedbackEventBase {
  id: number;
  interactionId: string;
  /** epoch ms */
  createdAt: number;
}

/** One feedback event, discriminated by `type`; payloads match `POST /api/feedback`. */
export type FeedbackEvent = FeedbackEventBase &
  (
    | { type: "label_confirm"; payload: { correct: boolean } }
    | { type: "label_correct"; payload: { label: string; reasons?: string[] } }
    | { type: "rating"; payload: { score: number } }
    | { type: "reply_edit"; payload: { text: string } }
    | { type: "dwell"; payload: { ms: number } }
    | { type: "exit"; payload: Record<string, never> }
    | { type: "follow_up"; payload: { afterMs?: number } }
    | { type: "copy"; payload: Record<string, never> }
  );

export type FeedbackEventType = FeedbackEvent["type"];

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

/** Event types a user sends on purpose (as opposed to implicit signals such as dwell or exit). */
export const explicitFeedbackTypes: ReadonlySet<FeedbackEventType> = new Set([
  "label_confirm",
  "label_correct",
  "rating",
  "reply_edit",
]);
