import { useEffect, useState } from "react";
import { ApiError } from "../api/api-error.js";
import { dateTimeFormatter } from "../dashboard/chart-format.js";
import { useI18n } from "../i18n/locale-context.js";
import { ExpectedLabel } from "./expected-label.js";
import { useOperator } from "./operator-gate.js";
import { triageApi, type RegressionSetDetail, type RegressionSetSummary } from "./triage-api.js";
import { useTriageWords } from "./triage-words.js";

function useProblem() {
  const { t } = useI18n();
  const [problem, setProblem] = useState<string | null>(null);
  const explain = (error: unknown) =>
    setProblem(error instanceof ApiError ? t.errorMessage(error.code, error.message) : String(error));
  return { problem, explain };
}

/** Every regression set, each linking to its page. */
export function RegressionSetList() {
  const { request } = useOperator();
  const w = useTriageWords();
  const [sets, setSets] = useState<RegressionSetSummary[] | null>(null);
  const { problem, explain } = useProblem();
  useEffect(() => {
    triageApi.sets(request).then(setSets, explain);
  }, [request]);
  return (
    <section aria-labelledby="regression-sets-heading">
      <h2 id="regression-sets-heading">{w.setsTitle}</h2>
      <p className="muted">{w.setsHint}</p>
      {problem && (
        <p className="error-box" role="alert">
          {problem}
        </p>
      )}
      {sets?.length === 0 && <p>{w.noSets}</p>}
      {sets && sets.length > 0 && (
        <ul data-testid="regression-sets">
          {sets.map((set) => (
            <li key={set.id}>
              <a href={`#/console/regression-sets/${encodeURIComponent(set.id)}`}>{set.name}</a> · {set.task}{" "}
              · {w.items} {set.items} · {w.createdBy} {set.createdBy}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One regression set: its items with the label each must get, and who changed it. */
export function RegressionSetPage({ setId }: { setId: string }) {
  const { request } = useOperator();
  const { t } = useI18n();
  const w = useTriageWords();
  const [detail, setDetail] = useState<RegressionSetDetail | null>(null);
  const { problem, explain } = useProblem();
  const load = () => triageApi.set(request, setId).then(setDetail, explain);
  useEffect(() => {
    void load();
  }, [request, setId]);
  const formatTime = dateTimeFormatter(t.htmlLang);
  if (problem)
    return (
      <p className="error-box" role="alert">
        {problem}
      </p>
    );
  if (detail === null) return <p className="muted">{t.loading}</p>;
  return (
    <section aria-labelledby="set-heading">
      <p>
        <a href="#/console/triage">{w.backToTriage}</a>
      </p>
      <h2 id="set-heading">{w.setTitle(detail.set.name)}</h2>
      <p className="muted">
        {w.task} {detail.set.task} · {w.createdBy} {detail.set.createdBy}
      </p>
      {detail.items.length === 0 ? (
        <p>{w.emptySet}</p>
      ) : (
        <table className="table" data-testid="regression-set-items">
          <thead>
            <tr>
              <th scope="col">{w.input}</th>
              <th scope="col">{w.version}</th>
              <th scope="col">{w.predicted}</th>
              <th scope="col">{w.expectedFor}</th>
              <th scope="col">{w.addedBy}</th>
              <th scope="col">
                <span className="visually-hidden">{w.remove}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {detail.items.map((item) => (
              <tr key={item.interactionId} data-interaction-id={item.interactionId}>
                <td>
                  <a href={`#/console/interactions/${encodeURIComponent(item.interactionId)}`}>
                    {item.input}
                  </a>
                </td>
                <td>{item.promptVersionId}</td>
                <td>{item.predicted ?? "—"}</td>
                <td>
                  <ExpectedLabel label={item.expectedLabel} source={item.expectedSource} />
                </td>
                <td>{item.addedBy}</td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      triageApi.removeItem(request, setId, item.interactionId).then(() => load(), explain)
                    }
                  >
                    {w.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{w.audit}</h3>
      <ul className="muted">
        {detail.changes.map((change) => (
          <li key={change.id}>
            {formatTime(change.at)} · {change.actor} · {change.action}
            {change.interactionId ? ` · ${change.interactionId}` : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}
