import type { FeedbackType } from "./feedback-types.js";

/**
 * The most events of one type a single interaction may collect (POST /api/feedback answers 409
 * FEEDBACK_LIMIT_REACHED beyond). An interaction is one answer seen by one person: a few changes of mind are normal,
 * hundreds are a script. Implicit signals are sent by the web app on its own (dwell on each view, exit once), so
 * they get more room. docs/security.md lists the same numbers.
 */
export const maxEventsPerInteraction: Record<FeedbackType, number> = {
  label_confirm: 10,
  label_correct: 10,
  rating: 10,
  reply_edit: 10,
  answer_correct: 10,
  dwell: 50,
  exit: 5,
  follow_up: 10,
  copy: 20,
  reply_reason: 10,
};
