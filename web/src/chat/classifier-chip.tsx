import { useState } from "react";
import {
  correctionReasons,
  type ClassifierWidgets,
  type CorrectionReason,
  type TurnClassification,
} from "../api/api-types.js";
import { RecordedBadge } from "../feedback/recorded-badge.js";
import { useFeedbackSubmission } from "../feedback/use-feedback-submission.js";
import { useChatWords } from "../i18n/chat-words.js";
import { useI18n } from "../i18n/locale-context.js";
import { useTaskWords } from "../i18n/task-words.js";
import { noLabelFeedback, type LabelFeedback } from "./turn-feedback.js";
import { useReportChanges } from "./use-report-changes.js";

/** Props of {@link ClassifierChip}. */
export interface ClassifierChipProps {
  classification: TurnClassification;
  /** The task's labels; the correction offers every label except the predicted one. */
  labels: readonly string[];
  /** The task's widgets (GET /api/tasks); absent = 👍/👎 and a correction with every reason tag. */
  widgets?: ClassifierWidgets | undefined;
  /** Show the task's name on the chip (the turn has several classifiers). */
  named?: boolean;
  /** The moderation policy flagged this label. */
  flagged?: boolean;
  /** The feedback given earlier (kept with the conversation): shown, and still changeable. */
  remembered?: LabelFeedback | undefined;
  /** Receives the chip's feedback after every change, to keep it across reloads. */
  onRemember?: (feedback: LabelFeedback) => void;
}

const toneOf: Record<string, string> = { 正面: "positive", 负面: "negative" };

type Verdict = "up" | "down" | null;

/**
 * One classifier's label on the message (sentiment, intent, moderation, any TURN_CLASSIFIERS task) with its
 * confidence, 👍/👎, and after 👎 a one-click correction offering every other label, with the task's reason tags.
 * Which of these a task shows is its own declaration (GET /api/tasks `feedback`). Users change their minds: every
 * choice can be changed (each change is a new event; the analysis takes the latest) and pressing the chosen thumb
 * again undoes it. The chip shows the corrected label once there is one; reasons stay editable.
 */
export function ClassifierChip({
  classification,
  labels,
  widgets = {},
  named = false,
  flagged = false,
  remembered,
  onRemember,
}: ClassifierChipProps) {
  const { t, percent, locale } = useI18n();
  const words = useChatWords();
  const taskWords = useTaskWords();
  const verdict = useFeedbackSubmission();
  const correction = useFeedbackSubmission();
  const start = remembered ?? noLabelFeedback;
  const [judged, setJudged] = useState<Verdict>(start.verdict);
  const [correctedTo, setCorrectedTo] = useState<string | null>(start.correctedTo);
  const [reasons, setReasons] = useState<readonly CorrectionReason[]>(start.reasons);
  // A task without 👍/👎 (confirm: false) opens its correction with a button instead of 👎.
  const [correcting, setCorrecting] = useState(start.correctedTo !== null);
  useReportChanges({ verdict: judged, correctedTo, reasons: [...reasons] }, onRemember);
  const { task, interactionId } = classification;
  const alternatives = labels.filter((label) => label !== classification.label);
  const offeredReasons = correctionReasons.filter((reason) =>
    (widgets.reasons ?? correctionReasons).includes(reason),
  );
  const canConfirm = widgets.confirm ?? true;
  const canCorrect = (widgets.correct ?? true) && alternatives.length > 0;
  const correctionOpen = canCorrect && (canConfirm ? judged === "down" : correcting);
  const reasonName = (reason: CorrectionReason) =>
    widgets.reasonNames?.[reason]?.[locale] ?? taskWords.reasonNameOf(task, reason) ?? t.reasons[reason];
  const shownLabel = correctedTo ?? classification.label;
  const labelName = t.labelName(shownLabel);
  const confidence = percent(classification.confidence);
  const taskName = taskWords.taskName(task);
  const tone = flagged && correctedTo === null ? "flagged" : (toneOf[shownLabel] ?? "neutral");
  const described = named
    ? taskWords.classificationOf(task, labelName, confidence)
    : t.sentimentOf(labelName, confidence);
  const correctionPrompt = named ? taskWords.correctionPromptOf(task) : t.correctionPrompt;
  const thumbName = (name: string) => (named ? taskWords.ofTask(task, name) : name);

  const sendCorrection = (label: string, chosen: readonly CorrectionReason[]) =>
    correction.send({
      interactionId,
      type: "label_correct",
      label,
      // Keep the catalogue order so the payload does not depend on click order.
      ...(chosen.length > 0 ? { reasons: correctionReasons.filter((r) => chosen.includes(r)) } : {}),
    });
  const judge = (next: "up" | "down") => {
    if (judged === next || correctedTo !== null) {
      // Undo (the same thumb again), or a change away from a correction: withdraw everything said so far first,
      // since a correction outweighs any later thumb.
      verdict.send({ interactionId, type: "label_confirm", correct: judged === "up", withdrawn: true });
      setCorrectedTo(null);
      setReasons([]);
    }
    if (judged === next) {
      setJudged(null);
      return;
    }
    setJudged(next);
    verdict.send({ interactionId, type: "label_confirm", correct: next === "up" });
  };
  const toggleReason = (reason: CorrectionReason) => {
    const next = reasons.includes(reason) ? reasons.filter((r) => r !== reason) : [...reasons, reason];
    setReasons(next);
    // After the correction, a reason change is a new correction event with the new reasons.
    if (correctedTo !== null) sendCorrection(correctedTo, next);
  };
  const correct = (label: string) => {
    if (correctedTo === label) return;
    setCorrectedTo(label);
    sendCorrection(label, reasons);
  };

  return (
    <div className="classifier" data-testid="classifier" data-task={task}>
      <div className="classifier__row">
        <span
          className={`chip chip--${tone}${correctedTo !== null ? " chip--corrected" : ""}`}
          data-testid="classifier-chip"
          data-label={shownLabel}
          data-corrected={correctedTo !== null}
          data-flagged={flagged}
          aria-label={correctedTo !== null ? thumbName(words.correctedChip(labelName)) : described}
          title={classification.promptVersion}
        >
          <span aria-hidden="true">
            {named && <span className="chip__task">{taskName}</span>}
            {correctedTo !== null ? `✎ ${words.correctedChip(labelName)}` : `${labelName} · ${confidence}`}
            {flagged && correctedTo === null && ` · ${taskWords.flagged}`}
          </span>
        </span>
        {canConfirm && (
          <>
            <button
              type="button"
              className="icon-button"
              data-testid="thumbs-up"
              aria-label={thumbName(judged === "up" ? `${t.thumbsUp}（${words.undo}）` : t.thumbsUp)}
              aria-pressed={judged === "up"}
              onClick={() => judge("up")}
            >
              <span aria-hidden="true">👍</span>
            </button>
            <button
              type="button"
              className="icon-button"
              data-testid="thumbs-down"
              aria-label={thumbName(judged === "down" ? `${t.thumbsDown}（${words.undo}）` : t.thumbsDown)}
              aria-pressed={judged === "down"}
              onClick={() => judge("down")}
            >
              <span aria-hidden="true">👎</span>
            </button>
          </>
        )}
        {!canConfirm && canCorrect && (
          <button
            type="button"
            className="button"
            data-testid="open-correction"
            aria-expanded={correcting}
            aria-label={thumbName(taskWords.correctAction)}
            onClick={() => setCorrecting(!correcting)}
          >
            {taskWords.correctAction}
          </button>
        )}
        <RecordedBadge status={verdict.status} testId="recorded-label" />
      </div>
      {correctionOpen && (
        <div className="correction" role="group" aria-label={correctionPrompt}>
          {offeredReasons.length > 0 && (
            <div className="correction__reasons" role="group" aria-label={words.reasonsEditable}>
              <span className="correction__hint">{words.reasonsEditable}</span>
              {offeredReasons.map((reason) => (
                <button
                  key={reason}
                  type="button"
                  className="tag"
                  data-testid={`reason-${reason}`}
                  aria-pressed={reasons.includes(reason)}
                  onClick={() => toggleReason(reason)}
                >
                  {reasonName(reason)}
                </button>
              ))}
            </div>
          )}
          <div className="correction__labels">
            <span className="correction__hint">{correctionPrompt}</span>
            {alternatives.map((label, index) => (
              <button
                key={label}
                type="button"
                className={index === 0 ? "button button--primary" : "button"}
                data-testid={`correct-label-${label}`}
                aria-pressed={correctedTo === label}
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
