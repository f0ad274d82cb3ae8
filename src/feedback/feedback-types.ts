/**
 * The feedback vocabulary as plain constants (no zod), so that the analysis core and the web app can use them
 * without the schema library. feedback-event.ts builds the schemas from them.
 */

/** Every kind of feedback event: explicit ones a user gives on purpose, implicit ones inferred from behaviour. */
export const feedbackTypes = [
  "label_confirm",
  "label_correct",
  "rating",
  "reply_edit",
  "answer_correct",
  "dwell",
  "exit",
  "follow_up",
  "copy",
  "reply_reason",
] as const;
export type FeedbackType = (typeof feedbackTypes)[number];

/** Reason tags a user can attach to a label correction. */
export const correctionReasons = ["mixed", "sarcasm", "negation", "off_topic", "other"] as const;
export type CorrectionReason = (typeof correctionReasons)[number];

/** Reason chips a user can give with 👎 on a generated reply (with an optional comment). */
export const replyReasons = ["inaccurate", "unhelpful", "too_long", "off_topic", "harmful", "other"] as const;
export type ReplyReason = (typeof replyReasons)[number];

/** The longest comment accepted with reply reasons. */
export const maxReplyCommentChars = 500;

/** Which task kinds each feedback type applies to: label feedback needs a classifier, reply feedback a generator. */
export const feedbackAppliesTo: Record<FeedbackType, ReadonlyArray<"classifier" | "generator">> = {
  label_confirm: ["classifier"],
  label_correct: ["classifier"],
  rating: ["generator"],
  reply_edit: ["generator"],
  answer_correct: ["generator"],
  dwell: ["classifier", "generator"],
  exit: ["classifier", "generator"],
  follow_up: ["classifier", "generator"],
  copy: ["classifier", "generator"],
  reply_reason: ["generator"],
};

/** Explicit feedback is given on purpose; the rest is implicit (inferred from behaviour). */
export const explicitFeedbackTypes: ReadonlySet<FeedbackType> = new Set([
  "label_confirm",
  "label_correct",
  "rating",
  "reply_edit",
  "reply_reason",
  "answer_correct",
]);
