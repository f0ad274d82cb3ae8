import { useEffect, useState, type FormEvent } from "react";
import { ApiError } from "../api/api-error.js";
import { dateTimeFormatter } from "../dashboard/chart-format.js";
import { useI18n } from "../i18n/locale-context.js";
import { consoleApi } from "./console-api.js";
import { useOperator } from "./operator-gate.js";
import { triageApi, type MisclassificationPage, type TriageFilters } from "./triage-api.js";
import { ExpectedLabel } from "./expected-label.js";
import { RegressionSetList } from "./regression-set-view.js";
import { useTriageWords } from "./triage-words.js";

const pageSize = 20;
const reasonTags = ["mixed", "sarcasm", "negation", "off_topic", "other"];

/** The misclassifications, filtered, searched and paged on the server, each linking to its interaction. */
export function TriagePage() {
  const { request } = useOperator();
  const { t } = useI18n();
  const w = useTriageWords();
  const [draft, setDraft] = useState<TriageFilters>({});
  const [filters, setFilters] = useState<TriageFilters>({});
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<MisclassificationPage | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [patterns, setPatterns] = useState<{ reportId: string; ids: { id: string; title: string }[] } | null>(
    null,
  );
  const explain = (error: unknown) =>
    setProblem(error instanceof ApiError ? t.errorMessage(error.code, error.message) : String(error));

  useEffect(() => {
    setProblem(null);
    triageApi.misclassifications(request, filters, offset, pageSize).then(setPage, explain);
  }, [request, filters, offset]);
  useEffect(() => {
    consoleApi.reports(request).then(async (reports) => {
      const latest = reports[0];
      if (!latest) return;
      const report = await consoleApi.report(request, latest.id);
      const ids = report.tasks
        .flatMap((task) => task.mining?.patterns ?? [])
        .map(({ id, title }) => ({ id, title }));
      setPatterns({ reportId: latest.id, ids });
    }, explain);
  }, [request]);

  const field = (key: keyof TriageFilters) => ({
    value: draft[key] ?? "",
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [key]: event.target.value }),
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = { ...draft };
    if (next.pattern && patterns) next.report = patterns.reportId;
    else delete next.report;
    setOffset(0);
    setFilters(next);
  };
  const formatTime = dateTimeFormatter(t.htmlLang);
  return (
    <section aria-labelledby="triage-heading" className="triage">
      <h2 id="triage-heading">{w.triageTitle}</h2>
      <p className="muted">{w.triageHint}</p>
      <form className="triage__filters" onSubmit={apply} aria-label={w.apply}>
        <label>
          {w.task}
          <input name="task" {...field("task")} placeholder="sentiment" />
        </label>
        <label>
          {w.version}
          <input name="version" {...field("version")} placeholder="sentiment@v1" />
        </label>
        <label>
          {w.pattern}
          <select name="pattern" {...field("pattern")}>
            <option value="">{w.anyOption}</option>
            {patterns?.ids.map((pattern) => (
              <option key={pattern.id} value={pattern.id}>
                {pattern.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.predicted}
          <input name="predicted" {...field("predicted")} />
        </label>
        <label>
          {w.expected}
          <input name="expected" {...field("expected")} />
        </label>
        <label>
          {w.reason}
          <select name="reason" {...field("reason")}>
            <option value="">{w.anyOption}</option>
            {reasonTags.map((tag) => (
              <option key={tag} value={tag}>
                {w.reasons[tag]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.judgedBy}
          <select name="judgedBy" {...field("judgedBy")}>
            <option value="">{w.anyOption}</option>
            <option value="correction">{w.byCorrection}</option>
            <option value="thumbs_down">{w.byThumbsDown}</option>
          </select>
        </label>
        <label>
          {w.search}
          <input name="q" type="search" {...field("q")} />
        </label>
        <button type="submit">{w.apply}</button>
        <button
          type="button"
          onClick={() => {
            setDraft({});
            setOffset(0);
            setFilters({});
          }}
        >
          {w.clear}
        </button>
      </form>
      {problem && (
        <p className="error-box" role="alert">
          {problem}
        </p>
      )}
      {page === null ? (
        <p className="muted">{t.loading}</p>
      ) : page.items.length === 0 ? (
        <p data-testid="triage-empty">{w.noneFound}</p>
      ) : (
        <>
          <table className="table" data-testid="triage-table">
            <thead>
              <tr>
                <th scope="col">{w.time}</th>
                <th scope="col">{w.version}</th>
                <th scope="col">{w.input}</th>
                <th scope="col">{w.predicted}</th>
                <th scope="col">{w.expected}</th>
                <th scope="col">{w.reason}</th>
                <th scope="col">
                  <span className="visually-hidden">{w.open}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((row) => (
                <tr key={row.interactionId} data-testid="triage-row">
                  <td>{formatTime(row.createdAt)}</td>
                  <td>{row.promptVersionId}</td>
                  <td>{row.input}</td>
                  <td>{row.predicted ?? "—"}</td>
                  <td>
                    <ExpectedLabel
                      label={row.judgement.expectedLabel}
                      source={row.judgement.expectedLabelSource}
                    />
                  </td>
                  <td>{row.judgement.reasons.map((tag) => w.reasons[tag] ?? tag).join("、")}</td>
                  <td>
                    <a href={`#/console/interactions/${encodeURIComponent(row.interactionId)}`}>{w.open}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav
            className="triage__paging"
            aria-label={w.pageRange(offset + 1, offset + page.items.length, page.total)}
          >
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - pageSize))}
            >
              {w.previous}
            </button>
            <span data-testid="triage-range">
              {w.pageRange(offset + 1, offset + page.items.length, page.total)}
            </span>
            <button
              type="button"
              disabled={offset + page.items.length >= page.total}
              onClick={() => setOffset(offset + pageSize)}
            >
              {w.next}
            </button>
          </nav>
        </>
      )}
      <RegressionSetList />
    </section>
  );
}
