// Wire types of the HTTP API the app uses (docs/api.md is the contract). The feedback types come from the
// server's one definition (src/feedback/feedback-event.ts), type-only, so no schema code reaches the bundle.
import type { FeedbackSubmission } from "../../../src/feedback/feedback-event.js";

/** A chat turn as the server expects it in `history`. */
export interface ChatMessage {
  role: "user" | "assistant" | "system";
  content: string;
}

/** `event: sentiment` of POST /api/analyze: the classification of the user's message. */
export interface SentimentResult {
  interactionId: string;
  /** Proof that this client got the answer: sent back with feedback on it (absent from older servers). */
  feedbackToken?: string;
  label: string;
  /** P(label | allowed labels), in (0, 1]. */
  confidence: number;
  promptVersion: string;
  latencyMs: number;
}

/** `event: done` of POST /api/analyze: the complete reply. */
export interface ReplyResult {
  interactionId: string;
  /** Proof that this client got the reply: sent back with feedback on it (absent from older servers). */
  feedbackToken?: string;
  promptVersion: string;
  reply: string;
  latencyMs: number;
}

/** One classification of a turn's input (`event: classifications` of POST /api/analyze). */
export interface TurnClassification extends SentimentResult {
  task: string;
  /** P(label) for every label of the version that answered, in its order: what a correction may offer. */
  distribution: Record<string, number>;
}

/** The moderation task's verdict on a turn's input and what MODERATION_POLICY made of it (the server's type). */
export type { ModerationVerdict } from "../../../src/tasks/turn/moderation-policy.js";

/** The feedback widgets a classifier declares (GET /api/tasks); older servers send none, so all are optional. */
export interface ClassifierWidgets {
  confirm?: boolean;
  correct?: boolean;
  reasons?: string[];
  /** The task's own names for some of its reason tags (its definition's `feedback.reasonNames`). */
  reasonNames?: Record<string, { zh: string; en: string }>;
  /** Under a turn whose input got this label, ask 答案正确吗? about the reply. */
  askAnswerCorrectWhen?: string;
}

/** One row of GET /api/tasks. */
export interface TaskInfo {
  task: string;
  kind: "classifier" | "generator";
  labels?: string[];
  flagLabels?: string[];
  activeVersion: string;
  description?: string;
  feedback?: ClassifierWidgets & { rating?: boolean; edit?: boolean };
}

/** Reason tags a user can attach to a label correction (the server's own list). */
export {
  correctionReasons,
  maxReplyCommentChars,
  replyReasons,
  type CorrectionReason,
  type ReplyReason,
} from "../../../src/feedback/feedback-types.js";

/**
 * The body of POST /api/feedback without `sessionId`, which the feedback queue adds (the server's own type); the
 * queue also adds the answer's `feedbackToken` and an `eventId` when the event has none.
 */
export type FeedbackEvent = FeedbackSubmission extends infer S
  ? S extends FeedbackSubmission
    ? Omit<S, "sessionId">
    : never
  : never;

/** The playground's rows and summary, as the server computes them. */
export type {
  PlaygroundAnswer,
  PlaygroundRow,
  PlaygroundSummary,
} from "../../../src/playground/core/playground-summary.js";
