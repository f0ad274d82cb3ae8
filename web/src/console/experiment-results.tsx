import { useCallback, useEffect, useState } from "react";
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { ApiError } from "../api/api-error.js";
import { ChartFrame } from "../dashboard/chart-frame.js";
import { dateTimeFormatter } from "../dashboard/chart-format.js";
import type { ExperimentRow } from "../dashboard/dashboard-data.js";
import { useI18n } from "../i18n/locale-context.js";
import { rolloutWords } from "../i18n/rollout-words.js";
import { consoleApi } from "./console-api.js";
import { useConsoleWords } from "./console-words.js";
import { readDecisionStatistics, type DecisionStatistics } from "./decision-statistics.js";
import { useOperator } from "./operator-gate.js";

/** Experiments, each as a results page: arms, effect with its always-valid interval, guardrails, SRM, timeline. */
export function ExperimentResults() {
  const { request } = useOperator();
  const { t } = useI18n();
  const w = useConsoleWords();
  const [experiments, setExperiments] = useState<ExperimentRow[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const explain = useCallback(
    (error: unknown) =>
      setProblem(error instanceof ApiError ? t.errorMessage(error.code, error.message) : String(error)),
    [t],
  );
  const load = useCallback(
    () => consoleApi.experiments(request).then(setExperiments, explain),
    [request, explain],
  );
  useEffect(() => {
    void load();
  }, [load]);
  if (experiments === null)
    return problem ? (
      <p className="error-box" role="alert">
        {problem}
      </p>
    ) : (
      <p className="muted">{t.loading}</p>
    );
  return (
    <section aria-labelledby="experiments-heading">
      <h2 id="experiments-heading">{w.tabExperiments}</h2>
      <button type="button" className="button" data-testid="experiments-refresh" onClick={() => void load()}>
        {t.refresh}
      </button>
      {problem && (
        <p className="error-box" role="alert">
          {problem}
        </p>
      )}
      {experiments.length === 0 ? (
        <p className="empty-state">{w.noExperiments}</p>
      ) : (
        experiments.map((experiment) => <ExperimentResult key={experiment.id} experiment={experiment} />)
      )}
    </section>
  );
}

function ExperimentResult({ experiment }: { experiment: ExperimentRow }) {
  const { t, locale, percent } = useI18n();
  const w = useConsoleWords();
  const words = rolloutWords[locale];
  const formatTime = dateTimeFormatter(t.htmlLang);
  // Decisions come newest first; the chart reads oldest first.
  const looks = experiment.decisions
    .map((decision) => ({ decision, statistics: readDecisionStatistics(decision.statistics) }))
    .filter(
      (look): look is { decision: typeof look.decision; statistics: DecisionStatistics } =>
        look.statistics !== null,
    )
    .reverse();
  const latest = looks.at(-1)?.statistics ?? null;
  const chart = looks.map(({ decision, statistics }) => ({
    at: formatTime(decision.decidedAt),
    difference: statistics.primary.difference,
    band: statistics.primary.sequence
      ? [statistics.primary.sequence.lower, statistics.primary.sequence.upper]
      : null,
  }));
  const verdict = experiment.decisions[0];
  return (
    <article
      className="console__card"
      data-testid={`experiment-result-${experiment.id}`}
      data-status={experiment.status}
    >
      <h3>
        {experiment.task}: {experiment.candidate} vs {experiment.control}
      </h3>
      <p data-testid="experiment-verdict">
        <strong>{words.experimentStatus[experiment.status] ?? experiment.status}</strong>
        {" · "}
        {w.share(percent(experiment.share))}
        {verdict && (
          <>
            {" · "}
            {words.reason[verdict.reasonCode] ?? verdict.reason}
          </>
        )}
      </p>
      {latest ? (
        <>
          <table className="table" data-testid="experiment-arms">
            <caption>{w.primaryMetric(latest.primary.metric)}</caption>
            <thead>
              <tr>
                <th scope="col">{w.arm}</th>
                <th scope="col">{w.trials}</th>
                <th scope="col">{w.rate}</th>
              </tr>
            </thead>
            <tbody>
              {(["control", "candidate"] as const).map((arm) => {
                const rate = latest.primary.rates[arm];
                return (
                  <tr key={arm}>
                    <th scope="row">{arm === "control" ? experiment.control : experiment.candidate}</th>
                    <td>{latest.primary.trials[arm]}</td>
                    <td>
                      {rate.estimate === null ? "–" : percent(rate.estimate, 1)}{" "}
                      <span className="muted">
                        [{percent(rate.lower, 1)}, {percent(rate.upper, 1)}]
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p data-testid="experiment-effect">
            {w.effect(
              percent(latest.primary.difference, 1),
              latest.primary.sequence
                ? `[${percent(latest.primary.sequence.lower, 1)}, ${percent(latest.primary.sequence.upper, 1)}]`
                : "–",
              latest.primary.pValue.toFixed(3),
            )}
          </p>
          <ChartFrame
            title={w.sequenceChart}
            testId={`experiment-chart-${experiment.id}`}
            hasData={chart.length > 0}
          >
            <ComposedChart data={chart} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="at" />
              <YAxis tickFormatter={(value: number) => percent(value)} domain={["auto", "auto"]} />
              <Tooltip
                formatter={(value) =>
                  Array.isArray(value)
                    ? value.map((v) => percent(Number(v), 1)).join(" – ")
                    : percent(Number(value), 1)
                }
              />
              <ReferenceLine y={0} stroke="#555" />
              <Area
                dataKey="band"
                name={w.interval}
                stroke="#1f5fa8"
                fill="#1f5fa8"
                fillOpacity={0.2}
                isAnimationActive={false}
              />
              <Line dataKey="difference" name={w.difference} stroke="#1f5fa8" dot isAnimationActive={false} />
            </ComposedChart>
          </ChartFrame>
          <table className="table" data-testid="experiment-guardrails">
            <caption>{w.guardrails}</caption>
            <thead>
              <tr>
                <th scope="col">{w.guardrail}</th>
                <th scope="col">{w.state}</th>
                <th scope="col">{w.trials}</th>
                <th scope="col">p</th>
              </tr>
            </thead>
            <tbody>
              {latest.guardrails.map((guardrail) => (
                <tr key={guardrail.name}>
                  <th scope="row">{w.guardrailName(guardrail.name)}</th>
                  <td>{w.guardrailState(guardrail.status)}</td>
                  <td>
                    {guardrail.trials.control} / {guardrail.trials.candidate}
                  </td>
                  <td>{guardrail.pValue === null ? "–" : guardrail.pValue.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="experiment-srm">
            {w.sampleRatio(
              latest.sampleRatio.observed.control,
              latest.sampleRatio.observed.candidate,
              latest.sampleRatio.pValue.toFixed(3),
            )}
          </p>
        </>
      ) : (
        <p className="muted">{w.noLooksYet}</p>
      )}
      <h4>{w.timeline}</h4>
      <ol className="console__timeline" data-testid="experiment-timeline">
        {experiment.decisions.map((decision) => (
          <li key={decision.id}>
            {formatTime(decision.decidedAt)} · {words.action[decision.action] ?? decision.action} ·{" "}
            {words.reason[decision.reasonCode] ?? decision.reason} · {decision.actor}
          </li>
        ))}
      </ol>
    </article>
  );
}
