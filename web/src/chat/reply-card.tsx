import { useRef, useState } from "react";
import type { ReplyResult } from "../api/api-types.js";
import { useServices } from "../app-services.js";
import { useDwellTracking } from "../feedback/dwell-registry.js";
import { RecordedBadge } from "../feedback/recorded-badge.js";
import { useFeedbackSubmission } from "../feedback/use-feedback-submission.js";
import { useI18n } from "../i18n/locale-context.js";
import { useChatWords } from "../i18n/chat-words.js";
import { ReplyEditor } from "./reply-editor.js";
import { ReplyReasons } from "./reply-reasons.js";
import { ReplyRating } from "./reply-rating.js";
import type { TurnFeedback } from "./turn-feedback.js";

/** Props of {@link ReplyCard}. */
export interface ReplyCardProps {
  reply: ReplyResult;
  /** The user's edited version, if they saved one. */
  editedText: string | null;
  onEdited: (text: string) => void;
  /** The feedback given earlier (kept across reloads), and where changes go. */
  feedback?: TurnFeedback | undefined;
  onFeedback?: (change: TurnFeedback) => void;
  /** Asks for a new reply to the same message (offered on the latest turn only). */
  onRegenerate?: () => void;
}

/**
 * A finished reply with its feedback: rating, in-place editing, copying (the copy event and a button),
 * and how long it was actually read.
 */
export function ReplyCard(props: ReplyCardProps) {
  const { reply, editedText, onEdited, onRegenerate, feedback, onFeedback } = props;
  const { t } = useI18n();
  const words = useChatWords();
  const { writeClipboard } = useServices();
  const edit = useFeedbackSubmission();
  const copy = useFeedbackSubmission();
  const [editing, setEditing] = useState(false);
  // Dwell is tracked on the whole card, which stays mounted while the text is swapped for the editor.
  const cardRef = useRef<HTMLDivElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  useDwellTracking(cardRef, reply.interactionId);
  const shown = editedText ?? reply.reply;

  const recordCopy = () => copy.send({ interactionId: reply.interactionId, type: "copy" });
  const copyReply = async () => {
    if (writeClipboard) {
      try {
        await writeClipboard(shown);
        recordCopy();
        return;
      } catch {
        // Permission denied or no clipboard access: select the text and use the legacy command.
      }
    }
    const element = textRef.current;
    const selection = window.getSelection();
    if (!element || !selection) return;
    selection.selectAllChildren(element);
    // Fires the element's copy event, which records the copy.
    document.execCommand("copy");
  };
  const finishEditing = () => {
    setEditing(false);
    // Give focus back to where the user started once the button is back in the tree.
    requestAnimationFrame(() => editButton.current?.focus());
  };
  const save = (text: string) => {
    if (text !== shown) {
      onEdited(text);
      edit.send({ interactionId: reply.interactionId, type: "reply_edit", text });
    }
    finishEditing();
  };

  return (
    <div className="reply" ref={cardRef} data-interaction-id={reply.interactionId}>
      {editing ? (
        <ReplyEditor initialText={shown} onSave={save} onCancel={finishEditing} />
      ) : (
        <div className="reply__text" data-testid="reply-text" ref={textRef} onCopy={recordCopy}>
          {shown}
        </div>
      )}
      <div className="reply__meta">
        {editedText !== null && (
          <span className="reply__edited" data-testid="edited-marker">
            {t.edited}
          </span>
        )}
        <RecordedBadge status={edit.status} testId="recorded-edit" />
      </div>
      <div className="reply__toolbar" role="group" aria-label={t.replyActions}>
        <ReplyRating
          interactionId={reply.interactionId}
          remembered={feedback?.rating ?? null}
          onRemember={(rating) => onFeedback?.({ rating })}
        />
        <ReplyReasons
          interactionId={reply.interactionId}
          remembered={feedback?.replyReasons ?? null}
          onRemember={(replyReasons) => onFeedback?.({ replyReasons })}
        />
        <div className="reply__buttons">
          {!editing && (
            <button
              ref={editButton}
              type="button"
              className="button button--quiet"
              data-testid="edit-button"
              onClick={() => setEditing(true)}
            >
              {t.edit}
            </button>
          )}
          <button
            type="button"
            className="button button--quiet"
            data-testid="copy-button"
            onClick={() => void copyReply()}
          >
            {t.copy}
          </button>
          <RecordedBadge status={copy.status} testId="recorded-copy" />
          {onRegenerate && (
            <button
              type="button"
              className="button button--quiet"
              data-testid="regenerate-button"
              onClick={onRegenerate}
            >
              {words.regenerate}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
