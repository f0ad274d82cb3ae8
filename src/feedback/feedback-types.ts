import type { FeedbackType } from "./store/interaction-store.js";

/** Which task kinds each feedback type applies to: label feedback needs a classifier, reply feedback a generator. */
export const feedbackAppliesTo: Record<FeedbackType, ReadonlyArray<"classifier" | "generator">> = {
  label_confirm: ["classifier"],
  label_correct: ["classifier"],
  rating: ["generator"],
  reply_edit: ["generator"],
  dwell: ["classifier", "generator"],
  exit: ["classifier", "generator"],
  follow_up: ["classifier", "generator"],
  copy: ["classifier", "generator"],
};

/** Explicit feedback is given on purpose; the rest is implicit (inferred from behaviour). */
export const explicitFeedbackTypes: ReadonlySet<FeedbackType> = new Set([
  "label_confirm",
  "label_correct",
  "rating",
  "reply_edit",
]);

export const correctionReasons = ["mixed", "sarcasm", "negation", "off_topic", "other"] as const;
