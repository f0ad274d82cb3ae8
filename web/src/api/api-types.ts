// Wire types of the HTTP API the app uses (docs/api.md is the contract).

/** A chat turn as the server expects it in `history`. */
export interface ChatMessage {
  role: "user" | "assistant" | "system";
  content: string;
}

/** `event: sentiment` of POST /api/analyze: the classification of the user's message. */
export interface SentimentResult {
  interactionId: string;
  label: string;
  /** P(label | allowed labels), in (0, 1]. */
  confidence: number;
  promptVersion: string;
  latencyMs: number;
}

/** `event: done` of POST /api/analyze: the complete reply. */
export interface ReplyResult {
  interactionId: string;
  promptVersion: string;
  reply: string;
  latencyMs: number;
}

/** One row of GET /api/tasks. */
export interface TaskInfo {
  task: string;
  kind: "classifier" | "generator";
  labels?: string[];
  activeVersion: string;
}

/** Reason tags a user can attach to a label correction. */
export const correctionReasons = ["mixed", "sarcasm", "negation", "off_topic", "other"] as const;
export type CorrectionReason = (typeof correctionReasons)[number];

/** The body of POST /api/feedback without `sessionId`, which the feedback queue adds. */
export type FeedbackEvent = { interactionId: string } & (
  | { type: "label_confirm"; correct: boolean }
  | { type: "label_correct"; label: string; reasons?: CorrectionReason[] }
  | { type: "rating"; score: 1 | 2 | 3 | 4 | 5 }
  | { type: "reply_edit"; text: string }
  | { type: "dwell"; ms: number }
  | { type: "exit" }
  | { type: "follow_up"; afterMs?: number }
  | { type: "copy" }
);
