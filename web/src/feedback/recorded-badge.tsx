import { useI18n } from "../i18n/locale-context.js";
import type { SubmissionStatus } from "./use-feedback-submission.js";

/** The quiet per-widget note that feedback is being saved, was recorded, or could not be. */
export function RecordedBadge({ status, testId }: { status: SubmissionStatus; testId: string }) {
  const { t } = useI18n();
  const text = {
    idle: "",
    sending: t.feedbackSending,
    recorded: t.feedbackRecorded,
    failed: t.feedbackFailed,
    rejected: t.feedbackRejected,
  }[status];
  return (
    <span className={`recorded recorded--${status}`} role="status" data-testid={testId} data-status={status}>
      {text}
    </span>
  );
}
