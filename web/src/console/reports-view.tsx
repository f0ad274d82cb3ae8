import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../api/api-error.js";
import { dateTimeFormatter } from "../dashboard/chart-format.js";
import { useI18n } from "../i18n/locale-context.js";
import { replayReasonIn } from "../i18n/replay-words.js";
import { consoleApi, type AnalysisStatus, type ReportDocument, type ReportListing } from "./console-api.js";
import { useConsoleWords } from "./console-words.js";
import { useOperator } from "./operator-gate.js";

const pollMs = 1000;

/** The analysis: run it now (with progress), the reports newest first, and one report's findings per task. */
export function ReportsView() {
  const { request } = useOperator();
  const { t, locale, percent } = useI18n();
  const w = useConsoleWords();
  const formatTime = dateTimeFormatter(t.htmlLang);
  const [status, setStatus] = useState<AnalysisStatus | null>(null);
  const [reports, setReports] = useState<ReportListing[] | null>(null);
  const [selected, setSelected] = useState<ReportDocument | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const explain = useCallback(
    (error: unknown) =>
      setProblem(error instanceof ApiError ? t.errorMessage(error.code, error.message) : String(error)),
    [t],
  );
  const open = useCallback(
    (id: string) => consoleApi.report(request, id).then(setSelected, explain),
    [request, explain],
  );
  const refresh = useCallback(async () => {
    const [nextStatus, nextReports] = await Promise.all([
      consoleApi.status(request),
      consoleApi.reports(request),
    ]);
    setStatus(nextStatus);
    setReports(nextReports);
    return nextStatus;
  }, [request]);

  useEffect(() => {
    refresh().catch(explain);
  }, [refresh, explain]);

  // While a run goes on, follow its progress; when it ends, list its report and open it.
  const running = status?.running !== null && status?.running !== undefined;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      refresh().then((next) => {
        if (next.running === null && next.last?.reportId) void open(next.last.reportId);
      }, explain);
    }, pollMs);
    return () => clearInterval(timer);
  }, [running, refresh, open, explain]);

  const start = async () => {
    setProblem(null);
    try {
      setStatus(await consoleApi.startRun(request));
    } catch (error) {
      explain(error);
      await refresh().catch(() => undefined);
    }
  };

  return (
    <section aria-labelledby="reports-heading" data-testid="console-reports">
      <h2 id="reports-heading">{w.tabReports}</h2>
      <div className="console__toolbar">
        <button
          type="button"
          className="button button--primary"
          data-testid="analysis-run"
          disabled={running}
          onClick={() => void start()}
        >
          {running ? w.analysisRunning : w.analysisRunNow}
        </button>
        <p role="status" className="muted" data-testid="analysis-status">
          {status?.running
            ? w.progress(status.running.progress)
            : status?.last
              ? w.lastRun(status.last.outcome, formatTime(status.last.finishedAt), status.last.error)
              : w.noRunYet}
        </p>
      </div>
      {problem && (
        <p className="error-box" role="alert">
          {problem}
        </p>
      )}
      {reports === null ? (
        <p className="muted">{t.loading}</p>
      ) : reports.length === 0 ? (
        <p className="empty-state">{w.noReports}</p>
      ) : (
        <table className="table" data-testid="reports-table">
          <caption className="visually-hidden">{w.tabReports}</caption>
          <thead>
            <tr>
              <th scope="col">{w.columnReport}</th>
              <th scope="col">{w.columnDecisions}</th>
              <th scope="col">{w.columnOpen}</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((report) => (
              <tr key={report.id} data-testid={`report-${report.id}`}>
                <td>
                  <button type="button" className="link-button" onClick={() => void open(report.id)}>
                    {formatTime(report.startedAt)}
                  </button>{" "}
                  <span className="muted">({w.trigger(report.trigger)})</span>
                </td>
                <td>
                  {report.tasks.map((task) => (
                    <div key={task.task}>
                      {task.task}:{" "}
                      {task.decision === "create_draft" ? w.draftProposed(task.versionId ?? "") : w.noChange}
                    </div>
                  ))}
                </td>
                <td>
                  <a href={report.links.html} target="_blank" rel="noopener" data-testid="report-html-link">
                    {w.openHtml}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && (
        <article
          className="console__report"
          data-testid="report-detail"
          aria-labelledby="report-detail-heading"
        >
          <h3 id="report-detail-heading">
            {w.reportOf(formatTime(new Date(selected.generatedAt).toISOString()))}
          </h3>
          <p className="muted">{w.reportCounts(selected.interactions, selected.feedbackEvents)}</p>
          {selected.tasks.map((task) => (
            <section key={task.task} className="console__card" data-testid={`report-task-${task.task}`}>
              <h4>
                {task.task} <span className="muted">({task.currentVersionId ?? "–"})</span>
              </h4>
              <p>
                <strong>{w.recommendation}:</strong> {task.recommendation.reason[locale]}
                {task.recommendation.versionId && (
                  <>
                    {" "}
                    <a
                      href={`#/console/versions/${encodeURIComponent(task.recommendation.versionId)}`}
                      data-testid="report-draft-link"
                    >
                      {w.openDraft(task.recommendation.versionId)}
                    </a>
                  </>
                )}
              </p>
              {task.trigger.explanation && (
                <p>
                  <strong>{w.triggerLabel}:</strong> {task.trigger.explanation[locale]}
                </p>
              )}
              {task.mining && task.mining.patterns.length > 0 && (
                <table className="table">
                  <caption>{w.patterns}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{w.pattern}</th>
                      <th scope="col">{w.support}</th>
                      <th scope="col">{w.errorRate}</th>
                      <th scope="col">{w.lift}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {task.mining.patterns.slice(0, 10).map((pattern) => (
                      <tr key={pattern.id}>
                        <td>{pattern.title}</td>
                        <td>
                          {pattern.errorSupport}/{pattern.support}
                        </td>
                        <td>{percent(pattern.errorRate, 1)}</td>
                        <td>{pattern.lift.toFixed(2)}×</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {task.candidates.length > 0 && (
                <ul className="console__candidates">
                  {task.candidates.map((candidate) => (
                    <li key={candidate.candidate.strategy}>
                      <strong>{candidate.candidate.strategy}</strong>:{" "}
                      {candidate.replay === null
                        ? w.notReplayed
                        : `${candidate.replay.pass ? w.replayPassed : w.replayFailed} — ${replayReasonIn(locale, candidate.replay)}`}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </article>
      )}
    </section>
  );
}
