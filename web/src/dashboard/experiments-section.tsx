import { useMemo } from "react";
import { analysisActor } from "../../../src/rollout/core/reason-codes.js";
import { decisionFiguresZh } from "../i18n/decision-figures.js";
import { useI18n } from "../i18n/locale-context.js";
import { dateTimeFormatter } from "./chart-format.js";
import { decisionsNewestFirst, type ExperimentRow } from "./dashboard-data.js";
import { armSummaries } from "./decision-arms.js";
import { ExperimentActions, type RolloutActionRequest } from "./experiment-actions.js";

/**
 * The prompt rollout experiments, newest first: which version is tested against which, where the canary
 * stands, and every decision the rollout made with its reason, so an operator can see why a version was
 * promoted or rolled back without reading the logs.
 */
export function ExperimentsSection({
  experiments,
  onAction,
}: {
  experiments: readonly ExperimentRow[];
  /** Promote or roll back a running or halted experiment's candidate; without it the section is read-only. */
  onAction?: ((request: RolloutActionRequest) => Promise<void>) | undefined;
}) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="experiments-heading" data-testid="experiments">
      <h2 id="experiments-heading">{t.experimentsTitle}</h2>
      {experiments.length === 0 ? (
        <p className="muted" data-testid="experiments-empty">
          {t.experimentsEmpty}
        </p>
      ) : (
        <div className="experiments">
          {experiments.map((experiment) => (
            <ExperimentCard key={experiment.id} experiment={experiment} onAction={onAction} />
          ))}
        </div>
      )}
    </section>
  );
}

function ExperimentCard({
  experiment,
  onAction,
}: {
  experiment: ExperimentRow;
  onAction: ((request: RolloutActionRequest) => Promise<void>) | undefined;
}) {
  const { t, percent } = useI18n();
  const formatTime = useMemo(() => dateTimeFormatter(t.htmlLang), [t]);
  const headingId = `experiment-heading-${experiment.id}`;
  const decisions = decisionsNewestFirst(experiment.decisions);
  const stages = experiment.rampShares.length;
  return (
    <article
      className="experiment"
      aria-labelledby={headingId}
      data-testid={`experiment-${experiment.id}`}
      data-status={experiment.status}
    >
      <div className="experiment__head">
        <h3 id={headingId} className="experiment__title">
          {t.experimentHeading(experiment.task, experiment.control, experiment.candidate)}
        </h3>
        <span className={`badge badge--${experiment.status}`} data-testid="experiment-status">
          <span className="sr-only">{t.columnStatus}: </span>
          {t.experimentStatus(experiment.status)}
        </span>
      </div>
      <dl className="experiment__facts">
        <div>
          <dt>{t.experimentShare}</dt>
          <dd data-testid="experiment-share">
            {percent(experiment.share, wholePercent(experiment.share) ? 0 : 1)}
            {experiment.status === "running" && stages > 0 && (
              <span className="muted"> ({t.experimentStage(experiment.stageIndex + 1, stages)})</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t.experimentStarted}</dt>
          <dd>{formatTime(experiment.startedAt)}</dd>
        </div>
        {experiment.endedAt !== null && (
          <div>
            <dt>{t.experimentEnded}</dt>
            <dd>{formatTime(experiment.endedAt)}</dd>
          </div>
        )}
        <div>
          <dt>{t.experimentStartedBy}</dt>
          <dd>{experiment.startedBy}</dd>
        </div>
        <div>
          <dt>{t.experimentId}</dt>
          <dd className="experiment__id">{experiment.id}</dd>
        </div>
        {experiment.startReason !== "" && (
          <div className="experiment__reason">
            <dt>{t.experimentStartReason}</dt>
            {experiment.startedBy === analysisActor ? (
              // The analysis's own sentence is English; the reader gets it in their language (the record as a tip).
              <dd title={experiment.startReason} data-testid="experiment-start-reason">
                {t.experimentStartedByAnalysis(experiment.candidate)}
              </dd>
            ) : (
              <dd data-testid="experiment-start-reason">{experiment.startReason}</dd>
            )}
          </div>
        )}
      </dl>
      {onAction && (experiment.status === "running" || experiment.status === "halted") && (
        <ExperimentActions experiment={experiment} onAction={onAction} />
      )}
      {decisions.length === 0 ? (
        <p className="muted">{t.decisionsEmpty}</p>
      ) : (
        <div
          className="table-scroll"
          role="region"
          aria-labelledby={`${headingId} ${headingId}-caption`}
          tabIndex={0}
        >
          <table className="table" data-testid="experiment-decisions">
            <caption id={`${headingId}-caption`} className="table__caption">
              {t.decisionsCaption(decisions.length, Math.max(experiment.decisionCount, decisions.length))}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t.columnTime}</th>
                <th scope="col">{t.columnAction}</th>
                <th scope="col">{t.columnDecisionReason}</th>
                <th scope="col">{t.columnStatistics}</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map((decision) => {
                const arms = armSummaries(decision.statistics);
                return (
                  <tr key={decision.id} data-action={decision.action}>
                    <td className="nowrap">{formatTime(decision.decidedAt)}</td>
                    <th scope="row" className="nowrap">
                      {t.rolloutAction(decision.action)}
                    </th>
                    <td className="cell-text">
                      <DecisionReason
                        code={decision.reasonCode}
                        detail={decision.reason}
                        statistics={decision.statistics}
                      />
                    </td>
                    <td className="experiment__stats">
                      {arms.length === 0
                        ? "–"
                        : arms.map((arm) => (
                            <div key={arm.arm}>
                              {t.armStatistics(
                                arm.arm,
                                arm.labelled,
                                arm.errors,
                                arm.errorRate === null ? "–" : percent(arm.errorRate, 1),
                              )}
                            </div>
                          ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

/** Shares such as 0.1 read as "10%"; a share such as 0.025 keeps its decimal rather than rounding to "3%". */
function wholePercent(share: number): boolean {
  return Math.abs(share * 100 - Math.round(share * 100)) < 1e-9;
}

/**
 * The reason code in the reader's language with the figures behind it: in Chinese, read from the decision's
 * statistics; in English, the server's own sentence (which has them).
 */
function DecisionReason({ code, detail, statistics }: { code: string; detail: string; statistics: unknown }) {
  const { t, locale } = useI18n();
  const summary = t.decisionReason(code);
  const figures = locale === "zh" ? decisionFiguresZh(statistics) : detail;
  if (summary === undefined) return <>{locale === "zh" ? `原因代码：${code}` : detail}</>;
  return (
    <>
      <div className="decision-reason__summary">{summary}</div>
      {figures !== null && figures !== "" && <div className="muted decision-reason__detail">{figures}</div>}
    </>
  );
}
