import { useState } from "react";
import type { TaskInfo, TurnClassification } from "../api/api-types.js";
import { fallbackLabels } from "../api/fetch-tasks.js";
import { useChatWords } from "../i18n/chat-words.js";
import { useI18n } from "../i18n/locale-context.js";
import { AnswerCheck } from "./answer-check.js";
import type { Turn } from "./chat-turns.js";
import { ClassifierChip } from "./classifier-chip.js";
import { ModerationNotice } from "./moderation-notice.js";
import { ReplyCard } from "./reply-card.js";
import type { TurnFeedback } from "./turn-feedback.js";
import { UserMessageEditor } from "./user-message-editor.js";

/** Props of {@link TurnView}. */
export interface TurnViewProps {
  turn: Turn;
  /** The task's entry of GET /api/tasks (labels, feedback widgets); undefined while unknown. */
  taskInfo: (task: string) => TaskInfo | undefined;
  onEdited: (turnId: number, text: string) => void;
  /** Shows a reply the moderation policy withheld. */
  onReveal: (turnId: number) => void;
  /** Keeps the feedback given on the turn with the conversation. */
  onFeedback: (turnId: number, change: TurnFeedback) => void;
  /** Runs the turn again, with `text` when the user edited their message; absent while another turn runs. */
  onRerun?: ((turnId: number, text?: string) => void) | undefined;
  /** Whether this is the latest turn (only it offers "regenerate"). */
  isLast: boolean;
  maxChars: number | null;
}

/** The labels a correction offers: those the answering version scored, else the task's, else the sentiment pair. */
function labelsOf(classification: TurnClassification, info: TaskInfo | undefined): readonly string[] {
  const scored = Object.keys(classification.distribution);
  if (scored.length > 0) return scored;
  return info?.labels && info.labels.length > 0 ? info.labels : fallbackLabels;
}

/** Whether the turn asks "答案正确吗?" under its reply: a classifier got its `askAnswerCorrectWhen` label. */
function asksAnswerCheck(turn: Turn, taskInfo: TurnViewProps["taskInfo"]): boolean {
  return turn.classifications.some((c) => {
    const asked = taskInfo(c.task)?.feedback?.askAnswerCorrectWhen;
    return asked !== undefined && asked === c.label;
  });
}

/**
 * One exchange: the user's message (editable and resendable) with one chip per classifier, then the reply
 * (streaming, finished, or failed with a retry), hidden behind a notice when the moderation policy withholds it, or
 * replaced by a refusal when it blocks the message; "答案正确吗?" under the reply to a factual question.
 */
export function TurnView(props: TurnViewProps) {
  const { turn, taskInfo, onEdited, onReveal, onFeedback, onRerun, isLast, maxChars } = props;
  const { t } = useI18n();
  const words = useChatWords();
  const [editing, setEditing] = useState(false);
  const settled =
    turn.phase === "done" || turn.phase === "stopped" || turn.phase === "error" || turn.phase === "refused";
  const moderation = turn.moderation;
  const withheld = moderation?.action === "withhold" && !turn.revealed;
  const refused = turn.phase === "refused" || moderation?.action === "refuse";
  const several = turn.classifications.length > 1;
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
        {turn.classifications.length > 0 ? (
          <div className="classifiers">
            {turn.classifications.map((classification) => {
              const info = taskInfo(classification.task);
              return (
                <ClassifierChip
                  key={classification.interactionId}
                  classification={classification}
                  labels={labelsOf(classification, info)}
                  widgets={info?.feedback}
                  named={several || classification.task !== "sentiment"}
                  flagged={moderation?.interactionId === classification.interactionId && moderation.flagged}
                  remembered={turn.feedback?.labels?.[classification.task]}
                  onRemember={(label) => onFeedback(turn.id, { labels: { [classification.task]: label } })}
                />
              );
            })}
          </div>
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
        {moderation && (refused || withheld) && (
          <ModerationNotice
            verdict={moderation}
            onReveal={moderation.action === "withhold" ? () => onReveal(turn.id) : undefined}
            remembered={turn.feedback?.disputed}
            onDisputed={() => onFeedback(turn.id, { disputed: true })}
          />
        )}
        {withheld || refused ? null : turn.reply ? (
          <>
            <ReplyCard
              key={turn.reply.interactionId}
              reply={turn.reply}
              editedText={turn.editedText}
              onEdited={(text) => onEdited(turn.id, text)}
              feedback={turn.feedback}
              onFeedback={(change) => onFeedback(turn.id, change)}
              {...(isLast && onRerun && { onRegenerate: () => onRerun(turn.id) })}
            />
            {asksAnswerCheck(turn, taskInfo) && (
              <AnswerCheck
                replyInteractionId={turn.reply.interactionId}
                remembered={turn.feedback?.answerCorrect}
                onRemember={(answerCorrect) => onFeedback(turn.id, { answerCorrect })}
              />
            )}
          </>
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
