import { useState } from "react";
import { RecordedBadge } from "../feedback/recorded-badge.js";
import { useFeedbackSubmission } from "../feedback/use-feedback-submission.js";
import { useTaskWords } from "../i18n/task-words.js";

/**
 * "答案正确吗?" under the reply to a factual question (a classifier whose `askAnswerCorrectWhen` label the turn got,
 * qa-check's 事实问题): the answer is `answer_correct` feedback on the reply, which the dashboard and the report turn
 * into each chat version's QA accuracy. The answer can be changed; the analysis takes the latest.
 */
export function AnswerCheck({
  replyInteractionId,
  remembered,
  onRemember,
}: {
  replyInteractionId: string;
  /** The answer given before (kept with the conversation). */
  remembered?: boolean | null | undefined;
  onRemember?: (correct: boolean) => void;
}) {
  const words = useTaskWords();
  const submission = useFeedbackSubmission();
  const [answer, setAnswer] = useState<boolean | null>(remembered ?? null);
  const choose = (correct: boolean) => {
    if (answer === correct) return;
    setAnswer(correct);
    onRemember?.(correct);
    submission.send({ interactionId: replyInteractionId, type: "answer_correct", correct });
  };
  return (
    <div
      className="answer-check"
      role="group"
      aria-label={words.answerCheckQuestion}
      data-testid="answer-check"
    >
      <span className="answer-check__question">{words.answerCheckQuestion}</span>
      {([true, false] as const).map((correct) => (
        <button
          key={String(correct)}
          type="button"
          className="button button--quiet"
          data-testid={correct ? "answer-correct" : "answer-wrong"}
          aria-pressed={answer === correct}
          onClick={() => choose(correct)}
        >
          {correct ? words.answerCorrect : words.answerWrong}
        </button>
      ))}
      <RecordedBadge status={submission.status} testId="recorded-answer" />
      {answer !== null && <span className="muted">{words.answerThanks}</span>}
    </div>
  );
}
