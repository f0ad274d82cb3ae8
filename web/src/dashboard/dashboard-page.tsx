import { useEffect, useMemo, useState } from "react";
import { ApiError } from "../api/api-error.js";
import { OperatorGate, useOperator } from "../console/operator-gate.js";
import { useI18n } from "../i18n/locale-context.js";
import { dateTimeFormatter } from "./chart-format.js";
import { fetchDashboard, type DashboardData } from "./dashboard-data.js";
import type { RolloutActionRequest } from "./experiment-actions.js";
import { ExperimentsSection } from "./experiments-section.js";
import { MisclassifiedTable } from "./misclassified-table.js";
import { PromptVersionsList } from "./prompt-versions-list.js";
import { postRolloutAction } from "./rollout-actions.js";
import { TaskCharts } from "./task-charts.js";
import { TotalsTable } from "./totals-table.js";
import "./dashboard.css";

type Load =
  | { state: "loading" }
  | { state: "loaded"; data: DashboardData }
  | { state: "failed"; code: string; message: string };

/**
 * The operators' view (console session required): per task and prompt version over the last 30 days,
 * accuracy with 95% intervals, feedback volume and coverage, mean rating, exit rate; then the totals,
 * the rollout experiments with their decisions, the latest misclassifications and the prompt versions.
 */
export function DashboardPage() {
  const { t } = useI18n();
  return (
    <section className="dashboard" aria-labelledby="dashboard-heading">
      <OperatorGate heading={<h1 id="dashboard-heading">{t.dashboardTitle}</h1>}>
        <DashboardBody />
      </OperatorGate>
    </section>
  );
}

function DashboardBody() {
  const { t } = useI18n();
  const { request } = useOperator();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setLoad({ state: "loading" });
    fetchDashboard(request, abort.signal).then(
      (data) => setLoad({ state: "loaded", data }),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        if (error instanceof ApiError) setLoad({ state: "failed", code: error.code, message: error.message });
        else setLoad({ state: "failed", code: "INTERNAL", message: String(error) });
      },
    );
    return () => abort.abort();
  }, [request, reloads]);

  return (
    <>
      <div className="dashboard__actions">
        <button
          type="button"
          className="button"
          data-testid="dashboard-refresh"
          onClick={() => setReloads((n) => n + 1)}
        >
          {t.refresh}
        </button>
      </div>
      {load.state === "loading" ? (
        <p className="muted" role="status">
          {t.loading}
        </p>
      ) : load.state === "failed" ? (
        <p className="error-box" role="alert" data-testid="dashboard-error">
          {t.errorMessage(load.code, load.message)}
        </p>
      ) : (
        <DashboardContent
          data={load.data}
          onAction={async (action) => {
            await postRolloutAction(request, action);
            setReloads((n) => n + 1);
          }}
        />
      )}
    </>
  );
}

function DashboardContent({
  data,
  onAction,
}: {
  data: DashboardData;
  onAction: (request: RolloutActionRequest) => Promise<void>;
}) {
  const { t } = useI18n();
  const formatTime = useMemo(() => dateTimeFormatter(t.htmlLang), [t]);
  const kindOf = (task: string) => data.tasks.find((info) => info.task === task)?.kind ?? "";
  // Tasks in the order the server lists them, then any that only appear in the data.
  const tasks = [...new Set([...data.tasks.map((info) => info.task), ...data.series.map((row) => row.task)])];
  const isEmpty = data.series.length === 0 && data.totals.length === 0;
  return (
    <div className="dashboard__content" data-testid="dashboard-content">
      <p className="muted" role="status">
        {t.generatedAt(formatTime(data.generatedAt))}
      </p>
      {isEmpty ? (
        <div className="empty-state" data-testid="dashboard-empty">
          <p>{t.dashboardEmpty}</p>
        </div>
      ) : (
        <>
          <section aria-labelledby="totals-heading">
            <h2 id="totals-heading">{t.summaryTitle}</h2>
            <TotalsTable totals={data.totals} kindOf={kindOf} />
          </section>
          {tasks
            .filter((task) => data.series.some((row) => row.task === task))
            .map((task) => (
              <section key={task} aria-labelledby={`task-${task}`} className="task-section">
                <h2 id={`task-${task}`}>
                  {task} <span className="muted">({t.taskKind(kindOf(task))})</span>
                </h2>
                <TaskCharts task={task} kind={kindOf(task)} series={data.series} />
              </section>
            ))}
        </>
      )}
      <ExperimentsSection experiments={data.experiments ?? []} onAction={onAction} />
      <section aria-labelledby="misclassified-heading">
        <h2 id="misclassified-heading">{t.misclassifiedTitle}</h2>
        <MisclassifiedTable rows={data.misclassified} />
      </section>
      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">{t.versionsTitle}</h2>
        <PromptVersionsList versions={data.promptVersions} />
      </section>
    </div>
  );
}
