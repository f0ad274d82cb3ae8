import { useState } from "react";
import { correctionReasons, type CorrectionReason, type SentimentResult } from "../api/api-types.js";
import { RecordedBadge } from "../feedback/recorded-badge.js";
import { useFeedbackSubmission } from "../feedback/use-feedback-submission.js";
import { useI18n } from "../i18n/locale-context.js";

/** Props of {@link SentimentChip}. */
export interface SentimentChipProps {
  sentiment: SentimentResult;
  /** The task's labels (from GET /api/tasks); the correction offers every label except the predicted one. */
  labels: readonly string[];
}

const toneOf: Record<string, string> = { 正面: "positive", 负面: "negative" };

/**
 * The predicted label with its confidence, 👍/👎, and after 👎 a one-click correction with optional
 * reason tags. Each choice is final (buttons stay focusable but inert, so keyboard focus is never lost).
 */
export function SentimentChip({ sentiment, labels }: SentimentChipProps) {
  const { t, percent } = useI18n();
  const verdict = useFeedbackSubmission();
  const correction = useFeedbackSubmission();
  const [judged, setJudged] = useState<"up" | "down" | null>(null);
  const [correctedTo, setCorrectedTo] = useState<string | null>(null);
  const [reasons, setReasons] = useState<readonly CorrectionReason[]>([]);
  const alternatives = labels.filter((label) => label !== sentiment.label);
  const labelName = t.labelName(sentiment.label);
  const confidence = percent(sentiment.confidence);

  const judge = (correct: boolean) => {
    if (judged) return;
    setJudged(correct ? "up" : "down");
    verdict.send({ interactionId: sentiment.interactionId, type: "label_confirm", correct });
  };
  const toggleReason = (reason: CorrectionReason) => {
    if (correctedTo) return;
    setReasons((current) =>
      current.includes(reason) ? current.filter((r) => r !== reason) : [...current, reason],
    );
  };
  const correct = (label: string) => {
    if (correctedTo) return;
    setCorrectedTo(label);
    correction.send({
      interactionId: sentiment.interactionId,
      type: "label_correct",
      label,
      // Keep the catalogue order so the payload does not depend on click order.
      ...(reasons.length > 0 ? { reasons: correctionReasons.filter((r) => reasons.includes(r)) } : {}),
    });
  };

  return (
    <div className="sentiment">
      <div className="sentiment__row">
        <span
          className={`chip chip--${toneOf[sentiment.label] ?? "neutral"}`}
          data-testid="sentiment-chip"
          data-label={sentiment.label}
          aria-label={t.sentimentOf(labelName, confidence)}
          title={sentiment.promptVersion}
        >
          <span aria-hidden="true">
            {labelName} · {confidence}
          </span>
        </span>
        <button
          type="button"
          className="icon-button"
          data-testid="thumbs-up"
          aria-label={t.thumbsUp}
          aria-pressed={judged === "up"}
          aria-disabled={judged !== null}
          onClick={() => judge(true)}
        >
          <span aria-hidden="true">👍</span>
        </button>
        <button
          type="button"
          className="icon-button"
          data-testid="thumbs-down"
          aria-label={t.thumbsDown}
          aria-pressed={judged === "down"}
          aria-disabled={judged !== null}
          onClick={() => judge(false)}
        >
          <span aria-hidden="true">👎</span>
        </button>
        <RecordedBadge status={verdict.status} testId="recorded-label" />
      </div>
      {judged === "down" && alternatives.length > 0 && (
        <div className="correction" role="group" aria-label={t.correctionPrompt}>
          <div className="correction__reasons" role="group" aria-label={t.reasonsLabel}>
            <span className="correction__hint">{t.reasonsLabel}</span>
            {correctionReasons.map((reason) => (
              <button
                key={reason}
                type="button"
                className="tag"
                data-testid={`reason-${reason}`}
                aria-pressed={reasons.includes(reason)}
                aria-disabled={correctedTo !== null}
                onClick={() => toggleReason(reason)}
              >
                {t.reasons[reason]}
              </button>
            ))}
          </div>
          <div className="correction__labels">
            <span className="correction__hint">{t.correctionPrompt}</span>
            {alternatives.map((label, index) => (
              <button
                key={label}
                type="button"
                className={index === 0 ? "button button--primary" : "button"}
                data-testid={`correct-label-${label}`}
                aria-pressed={correctedTo === label}
                aria-disabled={correctedTo !== null}
                onClick={() => correct(label)}
              >
                {correctedTo === label ? t.correctedTo(t.labelName(label)) : t.correctTo(t.labelName(label))}
              </button>
            ))}
            <RecordedBadge status={correction.status} testId="recorded-correction" />
          </div>
        </div>
      )}
    </div>
  );
}
