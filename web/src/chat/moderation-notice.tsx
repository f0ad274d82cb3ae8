import { useState } from "react";
import type { ModerationVerdict } from "../api/api-types.js";
import { RecordedBadge } from "../feedback/recorded-badge.js";
import { useFeedbackSubmission } from "../feedback/use-feedback-submission.js";
import { useTaskWords } from "../i18n/task-words.js";

/** Props of {@link ModerationNotice}. */
export interface ModerationNoticeProps {
  verdict: ModerationVerdict;
  /** `withhold` only: the reply exists and can be shown; called when the user asks to see it. */
  onReveal?: (() => void) | undefined;
  /** Whether the user disputed it before (kept with the conversation). */
  remembered?: boolean | undefined;
  /** Called once the user disputes, to keep it across reloads. */
  onDisputed?: () => void;
}

/**
 * What the moderation policy did to a message, said plainly in the reader's language: the reply is withheld
 * (MODERATION_POLICY=flag) or refused (block). The user can dispute the flag (误判): a correction of the moderation
 * classification to its first label that does not flag, which the analysis learns from like any other correction.
 */
export function ModerationNotice({ verdict, onReveal, remembered, onDisputed }: ModerationNoticeProps) {
  const words = useTaskWords();
  const dispute = useFeedbackSubmission();
  const [disputed, setDisputed] = useState(remembered ?? false);
  const refused = verdict.action === "refuse";
  const sendDispute = () => {
    if (disputed || verdict.disputeLabel === null) return;
    setDisputed(true);
    onDisputed?.();
    dispute.send({
      interactionId: verdict.interactionId,
      type: "label_correct",
      label: verdict.disputeLabel,
    });
  };
  return (
    <div
      className="moderation-notice"
      role="note"
      data-testid="moderation-notice"
      data-action={verdict.action}
    >
      <p className="moderation-notice__text" data-testid={refused ? "refusal-text" : "withheld-text"}>
        {refused ? words.moderationRefused : words.moderationWithheld}
      </p>
      {verdict.disputeLabel !== null && !disputed && <p className="muted">{words.disputeHint}</p>}
      <div className="moderation-notice__actions">
        {verdict.disputeLabel !== null && (
          <button
            type="button"
            className="button"
            data-testid="dispute-button"
            aria-pressed={disputed}
            aria-disabled={disputed}
            onClick={sendDispute}
          >
            {words.dispute}
          </button>
        )}
        {!refused && onReveal && (
          <button
            type="button"
            className="button button--quiet"
            data-testid="reveal-reply"
            onClick={onReveal}
          >
            {words.revealReply}
          </button>
        )}
        <RecordedBadge status={dispute.status} testId="recorded-dispute" />
      </div>
      {disputed && (
        <p className="muted" data-testid="disputed-text">
          {words.disputed}
        </p>
      )}
    </div>
  );
}
