import { useState } from "react";
import type { Turn } from "./chat-turns.js";
import { useChatWords } from "../i18n/chat-words.js";
import { useI18n } from "../i18n/locale-context.js";
import { ReplyCard } from "./reply-card.js";
import type { TurnFeedback } from "./turn-feedback.js";
import { SentimentChip } from "./sentiment-chip.js";
import { UserMessageEditor } from "./user-message-editor.js";

/** Props of {@link TurnView}. */
export interface TurnViewProps {
  turn: Turn;
  labelsFor: (promptVersion: string) => readonly string[];
  onEdited: (turnId: number, text: string) => void;
  /** Keeps the feedback given on the turn with the conversation. */
  onFeedback: (turnId: number, change: TurnFeedback) => void;
  /** Runs the turn again, with `text` when the user edited their message; absent while another turn runs. */
  onRerun?: ((turnId: number, text?: string) => void) | undefined;
  /** Whether this is the latest turn (only it offers "regenerate"). */
  isLast: boolean;
  maxChars: number | null;
}

/**
 * One exchange: the user's message with its sentiment (editable and resendable), then the reply (streaming,
 * finished, or failed with a retry).
 */
export function TurnView(props: TurnViewProps) {
  const { turn, labelsFor, onEdited, onFeedback, onRerun, isLast, maxChars } = props;
  const { t } = useI18n();
  const words = useChatWords();
  const [editing, setEditing] = useState(false);
  const settled = turn.phase === "done" || turn.phase === "stopped" || turn.phase === "error";
  return (
    <li className="turn" data-testid="turn" data-phase={turn.phase}>
      <div className="turn__user">
        <span className="sr-only">{t.you}: </span>
        {editing && onRerun ? (
          <UserMessageEditor
            initialText={turn.userText}
            maxChars={maxChars}
            onCancel={() => setEditing(false)}
            onResend={(text) => {
              setEditing(false);
              onRerun(turn.id, text);
            }}
          />
        ) : (
          <p className="bubble bubble--user">{turn.userText}</p>
        )}
        {turn.sentiment ? (
          <SentimentChip
            key={turn.sentiment.interactionId}
            sentiment={turn.sentiment}
            labels={labelsFor(turn.sentiment.promptVersion)}
            remembered={turn.feedback?.sentiment}
            onRemember={(sentiment) => onFeedback(turn.id, { sentiment })}
          />
        ) : (
          turn.phase === "classifying" && <span className="pending-dot" aria-hidden="true" />
        )}
        {settled && onRerun && !editing && (
          <button
            type="button"
            className="button button--quiet turn__edit"
            data-testid="edit-message"
            onClick={() => setEditing(true)}
          >
            {words.editAndResend}
          </button>
        )}
      </div>
      <div className="turn__assistant">
        <span className="sr-only">{t.assistant}: </span>
        {turn.reply ? (
          <ReplyCard
            key={turn.reply.interactionId}
            reply={turn.reply}
            editedText={turn.editedText}
            onEdited={(text) => onEdited(turn.id, text)}
            feedback={turn.feedback}
            onFeedback={(change) => onFeedback(turn.id, change)}
            {...(isLast && onRerun && { onRegenerate: () => onRerun(turn.id) })}
          />
        ) : (
          (turn.streamedText !== "" || turn.phase === "replying" || turn.phase === "stopped") && (
            <div className="reply reply--streaming">
              <div className="reply__text" data-testid="reply-text" aria-busy={turn.phase === "replying"}>
                {turn.streamedText}
                {turn.phase === "replying" && <span className="cursor" aria-hidden="true" />}
                {turn.phase === "stopped" && <span className="reply__stopped"> {t.replyStopped}</span>}
              </div>
            </div>
          )
        )}
        {turn.error && (
          <div className="error-box" role="alert" data-testid="turn-error" data-code={turn.error.code}>
            <strong>{t.errorTitle}</strong> {t.errorMessage(turn.error.code, turn.error.message)}
            {onRerun && (
              <button
                type="button"
                className="button error-box__retry"
                data-testid="retry-button"
                onClick={() => onRerun(turn.id)}
              >
                {words.retry}
              </button>
            )}
          </div>
        )}
        {turn.phase === "stopped" && !turn.reply && onRerun && (
          <button
            type="button"
            className="button button--quiet"
            data-testid="retry-button"
            onClick={() => onRerun(turn.id)}
          >
            {words.retry}
          </button>
        )}
      </div>
    </li>
  );
}
