import { useMemo } from "react";
import { correctionReasons, type CorrectionReason } from "../api/api-types.js";
import { useI18n } from "../i18n/locale-context.js";
import { dateTimeFormatter } from "./chart-format.js";
import type { MisclassifiedRow } from "./dashboard-data.js";

function isKnownReason(reason: string): reason is CorrectionReason {
  return (correctionReasons as readonly string[]).includes(reason);
}

/** The latest inputs users corrected, with the model's label, the user's label and their reasons. */
export function MisclassifiedTable({ rows }: { rows: readonly MisclassifiedRow[] }) {
  const { t } = useI18n();
  const formatTime = useMemo(() => dateTimeFormatter(t.htmlLang), [t]);
  if (rows.length === 0) return <p className="muted">{t.misclassifiedEmpty}</p>;
  return (
    <div className="table-scroll" role="region" aria-label={t.misclassifiedTitle} tabIndex={0}>
      <table className="table" data-testid="misclassified-table">
        <thead>
          <tr>
            <th scope="col">{t.columnInput}</th>
            <th scope="col">{t.columnPredicted}</th>
            <th scope="col">{t.columnCorrected}</th>
            <th scope="col">{t.columnReasons}</th>
            <th scope="col">{t.columnVersion}</th>
            <th scope="col">{t.columnTime}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.interactionId}/${row.createdAt}`}>
              <td className="cell-text">{row.input}</td>
              <td>{t.labelName(row.predicted)}</td>
              <td>
                <strong>{t.labelName(row.corrected)}</strong>
              </td>
              <td>
                {row.reasons.length === 0
                  ? "–"
                  : row.reasons
                      .map((reason) => (isKnownReason(reason) ? t.reasons[reason] : reason))
                      .join("、")}
              </td>
              <td>{row.promptVersion}</td>
              <td className="nowrap">{formatTime(row.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
