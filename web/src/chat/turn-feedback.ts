import type { CorrectionReason, ReplyReason } from "../api/api-types.js";

/** What the user said about the sentiment chip: 👍/👎, the label they corrected to, and the reasons. */
export interface SentimentFeedback {
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
  sentiment?: SentimentFeedback;
  rating?: number | null;
  replyReasons?: ReplyReasonFeedback | null;
}

export const noSentimentFeedback: SentimentFeedback = { verdict: null, correctedTo: null, reasons: [] };
