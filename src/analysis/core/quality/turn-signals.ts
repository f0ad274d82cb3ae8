/**
 * The signals of one turn (one interaction), read from its feedback events: what the fused quality score
 * (quality-score.ts) is computed from. Pure.
 */
import { distance } from "fastest-levenshtein";
import type { FeedbackEventRecord } from "../../../feedback/feedback-event.js";

/** How a follow-up relates to the turn before it: asked again in other words, or something else. */
export type FollowUpKind = "rephrase" | "new_topic";

/** Everything the score reads about one turn. */
export interface TurnSignals {
  /** The latest 1–5 rating, or null. */
  rating: number | null;
  /**
   * 👍 (true) / 👎 or a correction (false) where the task has labels; 👎 with reasons on a generated reply (false);
   * null without, or when the user withdrew it. The latest counts.
   */
  thumb: boolean | null;
  /** The reason chips of the latest 👎 on the reply (empty without one). */
  replyReasons?: readonly string[];
  /** Normalised edit distance (0–1) between the reply and the user's latest edit of it; null without an edit. */
  editDistance: number | null;
  copied: boolean;
  /** Total visible time (ms) over all dwell events; null without any. */
  dwellMs: number | null;
  /** Length of the reply (characters) that dwell is judged against. */
  replyChars: number;
  exited: boolean;
  /** The kind of the follow-up recorded on the turn, when the next turn could be found; null otherwise. */
  followUp: FollowUpKind | null;
}

/** The turn as the signal reader needs it: its reply (output) and its events in id order. */
export interface TurnWithEvents {
  output: string | null;
  events: readonly FeedbackEventRecord[];
}

/**
 * Levenshtein distance divided by the longer text's length: 0 = same text, 1 = nothing kept. Lengths are UTF-16
 * units (an emoji counts twice), which is what fastest-levenshtein compares.
 */
export function normalisedEditDistance(from: string, to: string): number {
  const longest = Math.max(from.length, to.length);
  return longest === 0 ? 0 : distance(from, to) / longest;
}

/** Reads a turn's signals; `followUp` comes from pairing the turn with the next one (turn-linker.ts). */
export function readTurnSignals(turn: TurnWithEvents, followUp: FollowUpKind | null): TurnSignals {
  let rating: number | null = null;
  let thumb: boolean | null = null;
  let replyReasons: readonly string[] = [];
  let editText: string | null = null;
  let copied = false;
  let dwellMs: number | null = null;
  let exited = false;
  let corrected = false;
  for (const event of turn.events) {
    switch (event.type) {
      case "rating":
        rating = event.payload.score;
        break;
      case "label_confirm":
        // An undo withdraws the verdict and any correction before it.
        if (event.payload.withdrawn) corrected = false;
        thumb = event.payload.withdrawn ? null : event.payload.correct;
        break;
      case "reply_reason": {
        const given = event.payload.reasons.length > 0 || (event.payload.comment ?? "").trim() !== "";
        replyReasons = given ? event.payload.reasons : [];
        thumb = given ? false : null;
        break;
      }
      case "label_correct":
        corrected = true;
        break;
      case "reply_edit":
        editText = event.payload.text;
        break;
      case "copy":
        copied = true;
        break;
      case "dwell":
        dwellMs = (dwellMs ?? 0) + event.payload.ms;
        break;
      case "exit":
        exited = true;
        break;
      case "follow_up":
        break;
    }
  }
  const reply = turn.output ?? "";
  return {
    rating,
    // A correction says the label was wrong, whatever thumb came before it.
    thumb: corrected ? false : thumb,
    replyReasons,
    editDistance: editText === null ? null : normalisedEditDistance(reply, editText),
    copied,
    dwellMs,
    replyChars: [...reply].length,
    exited,
    followUp,
  };
}

/** Whether the turn carries any signal at all: a turn without one has no score. */
export function hasAnySignal(signals: TurnSignals): boolean {
  return (
    signals.rating !== null ||
    signals.thumb !== null ||
    signals.editDistance !== null ||
    signals.copied ||
    signals.dwellMs !== null ||
    signals.exited ||
    signals.followUp !== null
  );
}
