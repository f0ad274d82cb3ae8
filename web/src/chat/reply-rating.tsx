import { useRef, useState, type KeyboardEvent } from "react";
import { RecordedBadge } from "../feedback/recorded-badge.js";
import { useFeedbackSubmission } from "../feedback/use-feedback-submission.js";
import { useI18n } from "../i18n/locale-context.js";

const scores = [1, 2, 3, 4, 5] as const;
type Score = (typeof scores)[number];

/**
 * Five small stars with radio-group semantics and a roving tab stop. Arrow keys move focus without
 * choosing (each choice is sent as a rating event, so browsing the stars must not send five of them);
 * Enter, Space or a click chooses. Changing the rating sends the new score. A rating given earlier (`remembered`,
 * kept with the conversation) is shown and can still be changed; each choice goes to `onRemember`.
 */
export function ReplyRating({
  interactionId,
  remembered = null,
  onRemember,
}: {
  interactionId: string;
  remembered?: number | null;
  onRemember?: (score: number) => void;
}) {
  const { t } = useI18n();
  const { status, send } = useFeedbackSubmission();
  const [score, setScore] = useState<Score | null>(() => scores.find((n) => n === remembered) ?? null);
  const [focusIndex, setFocusIndex] = useState(() => (score === null ? 0 : score - 1));
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  const choose = (next: Score) => {
    if (next === score) return;
    setScore(next);
    setFocusIndex(next - 1);
    send({ interactionId, type: "rating", score: next });
    onRemember?.(next);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    let target: number;
    if (event.key in moves) target = (focusIndex + (moves[event.key] ?? 0) + scores.length) % scores.length;
    else if (event.key === "Home") target = 0;
    else if (event.key === "End") target = scores.length - 1;
    else return;
    event.preventDefault();
    setFocusIndex(target);
    buttons.current[target]?.focus();
  };

  return (
    <div className="rating">
      <div className="rating__stars" role="radiogroup" aria-label={t.ratingLabel} onKeyDown={onKeyDown}>
        {scores.map((n, index) => (
          <button
            key={n}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            role="radio"
            className={`star${score !== null && n <= score ? " star--on" : ""}`}
            data-testid={`rating-star-${n}`}
            aria-label={t.stars(n)}
            aria-checked={score === n}
            tabIndex={index === focusIndex ? 0 : -1}
            onFocus={() => setFocusIndex(index)}
            onClick={() => choose(n)}
          >
            <span aria-hidden="true">{score !== null && n <= score ? "★" : "☆"}</span>
          </button>
        ))}
      </div>
      <RecordedBadge status={status} testId="recorded-rating" />
    </div>
  );
}
