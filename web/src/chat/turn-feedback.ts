import type { CorrectionReason, ReplyReason } from "../api/api-types.js";

/** What the user said about one classifier's chip: 👍/👎, the label they corrected to, and the reasons. */
export interface LabelFeedback {
  verdict: "up" | "down" | null;
  correctedTo: string | null;
  reasons: CorrectionReason[];
}

/** The reasons and comment last sent on a bad reply (null: none, or withdrawn). */
export interface ReplyReasonFeedback {
  reasons: ReplyReason[];
  comment: string;
}

/**
 * The feedback a turn has received, kept with the conversation so that after a reload every turn shows what the
 * user said and can still change it (a change is a new event; the analysis takes the latest). The reply edit is
 * the turn's `editedText`.
 */
export interface TurnFeedback {
  /** Each classifier chip's feedback, by task. */
  labels?: Record<string, LabelFeedback>;
  rating?: number | null;
  replyReasons?: ReplyReasonFeedback | null;
  /** The user disputed the moderation flag (误判). */
  disputed?: boolean;
  /** The answer to 答案正确吗? under the reply. */
  answerCorrect?: boolean | null;
}

export const noLabelFeedback: LabelFeedback = { verdict: null, correctedTo: null, reasons: [] };

/** `change` applied to `feedback`: the chips' entries merge by task, everything else is replaced. */
export function mergeTurnFeedback(feedback: TurnFeedback | undefined, change: TurnFeedback): TurnFeedback {
  const merged = { ...feedback, ...change };
  if (change.labels) merged.labels = { ...feedback?.labels, ...change.labels };
  return merged;
}
