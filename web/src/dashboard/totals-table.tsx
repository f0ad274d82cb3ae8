import { useI18n } from "../i18n/locale-context.js";
import type { MetricRow } from "./dashboard-data.js";

/** The whole window per task × prompt version: the numbers behind the charts, readable without them. */
export function TotalsTable({
  totals,
  kindOf,
}: {
  totals: readonly MetricRow[];
  kindOf: (task: string) => string;
}) {
  const { t, percent } = useI18n();
  const pct = (value: number | null) => (value === null ? "–" : percent(value, 1));
  // The charts' rule: exits are recorded on replies, so a classifier without any shows "–" rather than 0%. A
  // classification's exits through its reply (what the rollout credits it with) have their own column; a reply has
  // no reply of its own, so generators show "–" there.
  const exitRate = (row: MetricRow) =>
    kindOf(row.task) === "generator" || row.exits > 0 ? pct(row.exitRate) : "–";
  return (
    <div className="table-scroll" role="region" aria-label={t.summaryTitle} tabIndex={0}>
      <table className="table table--totals" data-testid="totals-table">
        <thead>
          <tr>
            <th scope="col">{t.columnTask}</th>
            <th scope="col">{t.columnVersion}</th>
            <th scope="col" className="num">
              {t.columnInteractions}
            </th>
            <th scope="col" className="num">
              {t.columnFeedback}
            </th>
            <th scope="col" className="num">
              {t.columnCoverage}
            </th>
            <th scope="col" className="num">
              {t.columnAccuracy}
            </th>
            <th scope="col" className="num">
              {t.columnMeanRating}
            </th>
            <th scope="col" className="num">
              {t.columnExitRate}
            </th>
            <th scope="col" className="num">
              {t.columnExitsThroughReplies}
            </th>
            <th scope="col" className="num">
              {t.columnQualityScore}
            </th>
            <th scope="col" className="num">
              {t.columnBadTurnRate}
            </th>
          </tr>
        </thead>
        <tbody>
          {totals.map((row) => (
            <tr key={`${row.task}/${row.promptVersion}`}>
              <td>
                {row.task} <span className="muted">({t.taskKind(kindOf(row.task))})</span>
              </td>
              <th scope="row">{row.promptVersion}</th>
              <td className="num">{row.interactions}</td>
              <td className="num">{row.feedbackEvents}</td>
              <td className="num">{pct(row.coverage)}</td>
              <td className="num">
                {row.accuracy === null ? (
                  "–"
                ) : (
                  <>
                    {pct(row.accuracy)}{" "}
                    <span className="muted">
                      [{pct(row.accuracyLow)}, {pct(row.accuracyHigh)}] n={row.labelled}
                    </span>
                  </>
                )}
              </td>
              <td className="num">
                {row.meanRating === null ? (
                  "–"
                ) : (
                  <>
                    {row.meanRating.toFixed(2)} <span className="muted">n={row.ratings}</span>
                  </>
                )}
              </td>
              <td className="num">{exitRate(row)}</td>
              <td className="num" data-testid="exits-through-replies">
                {kindOf(row.task) === "generator"
                  ? "–"
                  : `${row.exitsThroughReplies} (${pct(row.exitThroughReplyRate)})`}
              </td>
              <td className="num" data-testid="quality-score">
                {row.meanScore === null ? (
                  "–"
                ) : (
                  <>
                    {row.meanScore.toFixed(2)}{" "}
                    <span className="muted">
                      [{row.meanScoreLow?.toFixed(2) ?? "–"}, {row.meanScoreHigh?.toFixed(2) ?? "–"}] n=
                      {row.scoredTurns}
                    </span>
                  </>
                )}
              </td>
              <td className="num" data-testid="bad-turn-rate">
                {row.badTurnRate === null ? (
                  "–"
                ) : (
                  <>
                    {pct(row.badTurnRate)}{" "}
                    <span className="muted">
                      [{pct(row.badTurnRateLow)}, {pct(row.badTurnRateHigh)}] {row.badTurns}/{row.scoredTurns}
                    </span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
