import { useI18n } from "../i18n/locale-context.js";
import type {
  PlaygroundAnswer,
  PlaygroundRow,
  PlaygroundStart,
  PlaygroundSummary,
} from "./playground-run.js";
import { usePlaygroundWords } from "./playground-words.js";

function Answer({ answer }: { answer: PlaygroundAnswer }) {
  const { t, percent } = useI18n();
  const w = usePlaygroundWords();
  if ("label" in answer)
    return (
      <>
        <strong>{t.labelName(answer.label)}</strong>{" "}
        <span className="muted">{w.confidence(percent(answer.confidence, 1))}</span>
      </>
    );
  if ("reply" in answer) return <span className="console__reply">{answer.reply}</span>;
  return (
    <span className="error-text">
      {w.failed}: {t.errorMessage(answer.error.code, answer.error.message)}
    </span>
  );
}

/** The run's agreement, and each version's accuracy over the inputs whose right label is known. */
export function PlaygroundSummaryLine({
  start,
  summary,
}: {
  start: PlaygroundStart;
  summary: PlaygroundSummary;
}) {
  const { percent } = useI18n();
  const w = usePlaygroundWords();
  const rate = (value: number | null) => (value === null ? "–" : percent(value, 1));
  return (
    <ul data-testid="playground-summary" className="console__summary">
      <li>{w.agreement(summary.agreed, summary.compared, rate(summary.agreement))}</li>
      {summary.accuracy && (
        <>
          <li>
            {w.accuracy(
              start.baselineId,
              summary.accuracy.baseline.correct,
              summary.accuracy.baseline.answered,
              rate(summary.accuracy.baseline.rate),
            )}
          </li>
          <li>
            {w.accuracy(
              start.candidateId,
              summary.accuracy.candidate.correct,
              summary.accuracy.candidate.answered,
              rate(summary.accuracy.candidate.rate),
            )}
          </li>
        </>
      )}
      {summary.failed > 0 && <li>{w.failedCount(summary.failed)}</li>}
    </ul>
  );
}

/** Input, then both versions' answers side by side; rows where they differ are highlighted and say so. */
export function PlaygroundResults({
  start,
  rows,
}: {
  start: PlaygroundStart;
  rows: readonly PlaygroundRow[];
}) {
  const { t } = useI18n();
  const w = usePlaygroundWords();
  const labelled = rows.some((row) => row.expected !== null);
  return (
    <div className="table-scroll" role="region" aria-label={w.playgroundTitle} tabIndex={0}>
      <table className="table" data-testid="playground-results">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{w.input}</th>
            {labelled && <th scope="col">{w.expected}</th>}
            <th scope="col">{start.baselineId}</th>
            <th scope="col">{start.candidateId}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.index}
              className={row.differ ? "playground-row--differs" : undefined}
              data-testid="playground-row"
              data-differ={row.differ}
            >
              <td>
                {row.index + 1}
                {row.differ && <span className="playground-badge">{w.differs}</span>}
              </td>
              <td>{row.input}</td>
              {labelled && <td>{row.expected === null ? "–" : t.labelName(row.expected)}</td>}
              <td>
                <Answer answer={row.baseline} />
              </td>
              <td>
                <Answer answer={row.candidate} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
