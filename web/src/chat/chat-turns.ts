import type {
  ChatMessage,
  ModerationVerdict,
  ReplyResult,
  SentimentResult,
  TurnClassification,
} from "../api/api-types.js";
import { mergeTurnFeedback, type LabelFeedback, type TurnFeedback } from "./turn-feedback.js";

/** Where one turn stands; `refused` = the moderation policy answered with a refusal instead of a reply. */
export type TurnPhase = "classifying" | "replying" | "done" | "stopped" | "error" | "refused";

/** One user message with its classifications and the assistant's reply. */
export interface Turn {
  id: number;
  userText: string;
  phase: TurnPhase;
  /** Every classifier the server ran on the message (TURN_CLASSIFIERS), in its order. */
  classifications: TurnClassification[];
  /** What MODERATION_POLICY made of the message; null when no policy applies. */
  moderation: ModerationVerdict | null;
  /** The polite refusal of a blocked message (MODERATION_POLICY=block). */
  refusal: string | null;
  /** The user chose to see a reply the moderation policy withheld (MODERATION_POLICY=flag). */
  revealed: boolean;
  /** Text received so far; replaced by the final reply when `done` arrives. */
  streamedText: string;
  reply: ReplyResult | null;
  editedText: string | null;
  /** Wall-clock time the reply completed, for the follow-up delay. */
  finishedAt: number | null;
  error: { code: string; message: string } | null;
  /** What the user said about this turn (absent in conversations stored before it was kept). */
  feedback?: TurnFeedback;
}

export type TurnAction =
  | { type: "start"; id: number; text: string }
  | { type: "sentiment"; id: number; sentiment: SentimentResult }
  | {
      type: "classified";
      id: number;
      classifications: TurnClassification[];
      moderation: ModerationVerdict | null;
    }
  | { type: "refused"; id: number; message: string }
  | { type: "revealed"; id: number }
  | { type: "token"; id: number; text: string }
  | { type: "done"; id: number; reply: ReplyResult; at: number }
  | { type: "stopped"; id: number }
  | { type: "failed"; id: number; error: { code: string; message: string } }
  | { type: "edited"; id: number; text: string }
  /** The user gave or changed feedback on the turn: kept so that a reload shows it. */
  | { type: "feedback"; id: number; change: TurnFeedback }
  /** Runs a turn again as `id` (retry, regenerate, or edit-and-resend with `text`): later turns are dropped. */
  | { type: "restart"; replaceId: number; id: number; text: string }
  /** A stored conversation, or an empty one for "new chat". */
  | { type: "load"; turns: Turn[] };

function update(turns: Turn[], id: number, change: (turn: Turn) => Turn): Turn[] {
  return turns.map((turn) => (turn.id === id ? change(turn) : turn));
}

function freshTurn(id: number, text: string): Turn {
  return {
    id,
    userText: text,
    phase: "classifying",
    classifications: [],
    moderation: null,
    refusal: null,
    revealed: false,
    streamedText: "",
    reply: null,
    editedText: null,
    finishedAt: null,
    error: null,
  };
}

export function turnsReducer(turns: Turn[], action: TurnAction): Turn[] {
  switch (action.type) {
    case "start":
      return [...turns, freshTurn(action.id, action.text)];
    case "restart": {
      const index = turns.findIndex((turn) => turn.id === action.replaceId);
      return index < 0 ? turns : [...turns.slice(0, index), freshTurn(action.id, action.text)];
    }
    case "load":
      return action.turns;
    case "sentiment":
      // Shown at once; the `classifications` event that follows carries it again with the other classifiers.
      return update(turns, action.id, (turn) => ({
        ...turn,
        classifications:
          turn.classifications.length > 0
            ? turn.classifications
            : [sentimentClassification(action.sentiment)],
        phase: "replying",
      }));
    case "classified":
      return update(turns, action.id, (turn) => ({
        ...turn,
        classifications: action.classifications,
        moderation: action.moderation,
        phase: "replying",
      }));
    case "refused":
      return update(turns, action.id, (turn) => ({ ...turn, phase: "refused", refusal: action.message }));
    case "revealed":
      return update(turns, action.id, (turn) => ({ ...turn, revealed: true }));
    case "token":
      return update(turns, action.id, (turn) => ({
        ...turn,
        phase: "replying",
        streamedText: turn.streamedText + action.text,
      }));
    case "done":
      return update(turns, action.id, (turn) => ({
        ...turn,
        phase: "done",
        reply: action.reply,
        streamedText: action.reply.reply,
        finishedAt: action.at,
      }));
    case "stopped":
      return update(turns, action.id, (turn) =>
        turn.phase === "done" ? turn : { ...turn, phase: "stopped" },
      );
    case "failed":
      return update(turns, action.id, (turn) => ({ ...turn, phase: "error", error: action.error }));
    case "edited":
      return update(turns, action.id, (turn) => ({ ...turn, editedText: action.text }));
    case "feedback":
      return update(turns, action.id, (turn) => ({
        ...turn,
        feedback: mergeTurnFeedback(turn.feedback, action.change),
      }));
  }
}

/** The `sentiment` event as a classification: its task is the first part of its version id. */
function sentimentClassification(sentiment: SentimentResult): TurnClassification {
  return { ...sentiment, task: sentiment.promptVersion.split("@")[0] ?? "sentiment", distribution: {} };
}

/** A turn stored before turns had classifications (it had one `sentiment`), in today's shape. */
type StoredTurn =
  Turn | (Omit<Turn, "classifications" | "moderation" | "refusal" | "revealed"> & StoredSentiment);
interface StoredSentiment {
  sentiment?: SentimentResult | null;
  /** The sentiment chip's feedback as the sentiment-only page kept it. */
  feedback?: Omit<TurnFeedback, "labels"> & { sentiment?: LabelFeedback };
}

/** Turns read back from the browser's history, whichever version of the page stored them. */
export function restoredTurns(stored: readonly StoredTurn[]): Turn[] {
  return stored.map((turn) => {
    if ("classifications" in turn) return turn;
    const { sentiment, feedback, ...rest } = turn;
    const classifications = sentiment ? [sentimentClassification(sentiment)] : [];
    const { sentiment: chip, ...kept } = feedback ?? {};
    const task = classifications[0]?.task;
    return {
      ...rest,
      ...(feedback && { feedback: { ...kept, ...(chip && task && { labels: { [task]: chip } }) } }),
      classifications,
      moderation: null,
      refusal: null,
      revealed: false,
    };
  });
}

/**
 * A conversation as it is kept across reloads: a turn still running when the page went away is kept as stopped.
 */
export function settledTurns(turns: readonly Turn[]): Turn[] {
  return turns.map((turn) =>
    turn.phase === "classifying" || turn.phase === "replying" ? { ...turn, phase: "stopped" } : turn,
  );
}

/** How many earlier messages go back to the server: a 0.5B model has a small context. */
export const maxHistoryMessages = 12;

/**
 * The earlier turns as chat history: completed turns only, with the user's edited reply where there is
 * one (the edit is what the reply should have been), the most recent `maxHistoryMessages` messages.
 * A turn whose reply came back empty is left out: the API refuses empty history messages.
 */
export function historyOf(turns: readonly Turn[]): ChatMessage[] {
  const messages = turns.flatMap((turn): ChatMessage[] => {
    const reply = turn.reply ? (turn.editedText ?? turn.reply.reply) : "";
    return reply.trim() === ""
      ? []
      : [
          { role: "user", content: turn.userText },
          { role: "assistant", content: reply },
        ];
  });
  return messages.slice(-maxHistoryMessages);
}

// The API accepts follow-up delays up to one day; a later message is still a follow-up, just a slow one.
const maxFollowUpMs = 86_400_000;

/** The reply the user is reacting to when they send again or leave: the last completed one. */
export function latestReply(turns: readonly Turn[]): Turn | null {
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i];
    if (turn?.reply) return turn;
  }
  return null;
}

/**
 * The follow-up feedback for a new message sent at `now`, if it follows a completed reply.
 * Only when that reply is the last turn: after a failed or stopped turn the user is retrying, not following up.
 */
export function followUpFor(
  turns: readonly Turn[],
  now: number,
): { interactionId: string; afterMs: number } | null {
  const last = turns.at(-1);
  if (!last?.reply || last.finishedAt === null) return null;
  const afterMs = Math.min(maxFollowUpMs, Math.max(0, Math.round(now - last.finishedAt)));
  return { interactionId: last.reply.interactionId, afterMs };
}
