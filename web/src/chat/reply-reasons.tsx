import { useId, useState } from "react";
import { maxReplyCommentChars, replyReasons, type ReplyReason } from "../api/api-types.js";
import { RecordedBadge } from "../feedback/recorded-badge.js";
import { useFeedbackSubmission } from "../feedback/use-feedback-submission.js";
import { useChatWords } from "../i18n/chat-words.js";
import type { ReplyReasonFeedback } from "./turn-feedback.js";

/**
 * 👎 on a reply: reason chips and an optional comment, sent as one `reply_reason` event. It stays editable: sending
 * again is a new event (the latest counts), and "withdraw" sends an empty one. What was sent earlier (`remembered`,
 * kept with the conversation) shows as sent after a reload; every send or withdrawal goes to `onRemember`.
 */
export function ReplyReasons({
  interactionId,
  remembered = null,
  onRemember,
}: {
  interactionId: string;
  remembered?: ReplyReasonFeedback | null;
  onRemember?: (sent: ReplyReasonFeedback | null) => void;
}) {
  const words = useChatWords();
  const submission = useFeedbackSubmission();
  const commentId = useId();
  const [open, setOpen] = useState(false);
  const [reasons, setReasons] = useState<readonly ReplyReason[]>(remembered?.reasons ?? []);
  const [comment, setComment] = useState(remembered?.comment ?? "");
  const [sent, setSent] = useState(remembered !== null);
  const canSend = reasons.length > 0 || comment.trim() !== "";

  const send = () => {
    if (!canSend) return;
    const chosen = replyReasons.filter((r) => reasons.includes(r));
    submission.send({
      interactionId,
      type: "reply_reason",
      reasons: chosen,
      ...(comment.trim() !== "" && { comment: comment.trim() }),
    });
    setSent(true);
    onRemember?.({ reasons: chosen, comment: comment.trim() });
  };
  const withdraw = () => {
    submission.send({ interactionId, type: "reply_reason", reasons: [] });
    setReasons([]);
    setComment("");
    setSent(false);
    setOpen(false);
    onRemember?.(null);
  };

  return (
    <div className="reply-reasons">
      <button
        type="button"
        className="icon-button"
        data-testid="reply-thumbs-down"
        aria-label={words.replyDown}
        aria-expanded={open}
        aria-pressed={sent}
        onClick={() => (sent ? withdraw() : setOpen(!open))}
      >
        <span aria-hidden="true">👎</span>
      </button>
      <RecordedBadge status={submission.status} testId="recorded-reply-reason" />
      {open && (
        <div className="reply-reasons__panel" role="group" aria-label={words.replyReasonsPrompt}>
          <span className="correction__hint">{words.replyReasonsPrompt}</span>
          <div className="reply-reasons__chips">
            {replyReasons.map((reason) => (
              <button
                key={reason}
                type="button"
                className="tag"
                data-testid={`reply-reason-${reason}`}
                aria-pressed={reasons.includes(reason)}
                onClick={() =>
                  setReasons((current) =>
                    current.includes(reason) ? current.filter((r) => r !== reason) : [...current, reason],
                  )
                }
              >
                {words.replyReasons[reason]}
              </button>
            ))}
          </div>
          <label className="correction__hint" htmlFor={commentId}>
            {words.commentLabel}
          </label>
          <textarea
            id={commentId}
            className="reply-editor__text"
            data-testid="reply-reason-comment"
            rows={2}
            maxLength={maxReplyCommentChars}
            placeholder={words.commentPlaceholder}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
          <div className="reply-editor__actions">
            <button
              type="button"
              className="button button--primary"
              data-testid="reply-reason-send"
              aria-disabled={!canSend}
              onClick={send}
            >
              {sent ? words.updateReasons : words.sendReasons}
            </button>
            {sent && (
              <button type="button" className="button" data-testid="reply-reason-withdraw" onClick={withdraw}>
                {words.withdrawReasons}
              </button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
