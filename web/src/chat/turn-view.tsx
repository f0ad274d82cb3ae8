import type { Turn } from "./chat-turns.js";
import { useI18n } from "../i18n/locale-context.js";
import { ReplyCard } from "./reply-card.js";
import { SentimentChip } from "./sentiment-chip.js";

/** Props of {@link TurnView}. */
export interface TurnViewProps {
  turn: Turn;
  labelsFor: (promptVersion: string) => readonly string[];
  onEdited: (turnId: number, text: string) => void;
}

/** One exchange: the user's message with its sentiment, then the reply (streaming, finished, or failed). */
export function TurnView({ turn, labelsFor, onEdited }: TurnViewProps) {
  const { t } = useI18n();
  return (
    <li className="turn" data-testid="turn" data-phase={turn.phase}>
      <div className="turn__user">
        <span className="sr-only">{t.you}: </span>
        <p className="bubble bubble--user">{turn.userText}</p>
        {turn.sentiment ? (
          <SentimentChip sentiment={turn.sentiment} labels={labelsFor(turn.sentiment.promptVersion)} />
        ) : (
          turn.phase === "classifying" && <span className="pending-dot" aria-hidden="true" />
        )}
      </div>
      <div className="turn__assistant">
        <span className="sr-only">{t.assistant}: </span>
        {turn.reply ? (
          <ReplyCard
            reply={turn.reply}
            editedText={turn.editedText}
            onEdited={(text) => onEdited(turn.id, text)}
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
          </div>
        )}
      </div>
    </li>
  );
}
