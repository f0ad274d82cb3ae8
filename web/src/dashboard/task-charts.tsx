import { useMemo } from "react";
import {
  Area,
  Bar,
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { useI18n } from "../i18n/locale-context.js";
import { bucketDateFormatter, colorOf, shareTicks } from "./chart-format.js";
import { ChartFrame } from "./chart-frame.js";
import { hasValues, pivotSeries, type ChartRow, type SeriesRow } from "./dashboard-data.js";

const dayMs = 86_400_000;
const margin = { top: 8, right: 12, bottom: 4, left: 0 };
const axisTick = { fontSize: 12, fill: "var(--muted)" };

/** Props of {@link TaskCharts}. */
export interface TaskChartsProps {
  task: string;
  kind: string;
  series: readonly SeriesRow[];
}

type TooltipValue = number | string | readonly (number | string)[] | undefined;

/** The shaded 95% band of one version in one bucket, as the [low, high] pair a range Area draws. */
function bandOf(row: ChartRow, version: string): [number, number] | null {
  const entry = row.byVersion[version];
  if (!entry || entry.accuracyLow === null || entry.accuracyHigh === null) return null;
  return [entry.accuracyLow, entry.accuracyHigh];
}

/** The same interval as error-bar offsets below and above the point, so single days show it too. */
function errorOf(row: ChartRow, version: string): [number, number] | null {
  const entry = row.byVersion[version];
  if (!entry || entry.accuracy === null || entry.accuracyLow === null || entry.accuracyHigh === null)
    return null;
  return [entry.accuracy - entry.accuracyLow, entry.accuracyHigh - entry.accuracy];
}

/**
 * The charts of one task, one line per prompt version over the days: accuracy with its 95% interval
 * (classifiers), feedback volume and coverage, mean rating and exit rate (where there is data).
 */
export function TaskCharts({ task, kind, series }: TaskChartsProps) {
  const { t, percent } = useI18n();
  const { versions, rows } = useMemo(() => pivotSeries(series, task, dayMs), [series, task]);
  const formatDate = useMemo(
    () =>
      bucketDateFormatter(
        t.htmlLang,
        rows.map((row) => row.bucket),
      ),
    [t, rows],
  );
  const pct = (value: number) => percent(value);
  const formatValue = (value: TooltipValue, asPercent: boolean) => {
    const one = (v: number | string) =>
      typeof v === "number" ? (asPercent ? percent(v, 1) : v.toFixed(2)) : v;
    if (value === undefined) return "–";
    return Array.isArray(value) ? value.map(one).join(" – ") : one(value as number | string);
  };
  const pick = (version: string, metric: (row: SeriesRow) => number | null) => (row: ChartRow) => {
    const entry = row.byVersion[version];
    return entry ? metric(entry) : null;
  };
  const xAxis = <XAxis dataKey="bucket" tickFormatter={formatDate} tick={axisTick} minTickGap={12} />;
  const grid = <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" vertical={false} />;
  const tooltip = (asPercent: boolean) => (
    <Tooltip
      labelFormatter={(label) => formatDate(Number(label))}
      formatter={(value) => formatValue(value as TooltipValue, asPercent)}
    />
  );
  const legend = <Legend wrapperStyle={{ fontSize: 12 }} />;
  const exitTicks = shareTicks(
    Math.max(0, ...rows.flatMap((row) => Object.values(row.byVersion).map((entry) => entry?.exitRate ?? 0))),
  );
  const coverageNames = new Set(versions.map((version) => t.chartCoverage(version)));

  return (
    <div className="charts">
      {kind === "classifier" && (
        <ChartFrame
          title={t.chartAccuracy}
          testId={`chart-accuracy-${task}`}
          hasData={hasValues(rows, (row) => row.accuracy)}
        >
          <ComposedChart data={rows} margin={margin}>
            {grid}
            {xAxis}
            <YAxis domain={[0, 1]} tickFormatter={pct} tick={axisTick} width={44} />
            {tooltip(true)}
            {legend}
            {versions.flatMap((version, i) => [
              <Area
                key={`${version}-band`}
                dataKey={(row: ChartRow) => bandOf(row, version)}
                name={t.chartAccuracyBand(version)}
                stroke="none"
                fill={colorOf(i)}
                fillOpacity={0.15}
                legendType="none"
                isAnimationActive={false}
              />,
              <Line
                key={version}
                dataKey={pick(version, (row) => row.accuracy)}
                name={version}
                stroke={colorOf(i)}
                strokeWidth={2}
                dot={{ r: 3 }}
                connectNulls
                isAnimationActive={false}
              >
                <ErrorBar
                  dataKey={(row: ChartRow) => errorOf(row, version)}
                  width={4}
                  stroke={colorOf(i)}
                  strokeOpacity={0.7}
                  direction="y"
                />
              </Line>,
            ])}
          </ComposedChart>
        </ChartFrame>
      )}
      <ChartFrame title={t.chartVolume} testId={`chart-volume-${task}`} hasData={rows.length > 0}>
        <ComposedChart data={rows} margin={margin}>
          {grid}
          {xAxis}
          <YAxis yAxisId="count" allowDecimals={false} tick={axisTick} width={36} />
          <YAxis
            yAxisId="share"
            orientation="right"
            domain={[0, 1]}
            tickFormatter={pct}
            tick={axisTick}
            width={44}
          />
          <Tooltip
            labelFormatter={(label) => formatDate(Number(label))}
            formatter={(value, name) => formatValue(value as TooltipValue, coverageNames.has(String(name)))}
          />
          {legend}
          {versions.map((version, i) => (
            <Bar
              key={`${version}-events`}
              yAxisId="count"
              dataKey={pick(version, (row) => row.feedbackEvents)}
              name={t.chartFeedbackEvents(version)}
              fill={colorOf(i)}
              fillOpacity={0.55}
              isAnimationActive={false}
            />
          ))}
          {versions.map((version, i) => (
            <Line
              key={`${version}-coverage`}
              yAxisId="share"
              dataKey={pick(version, (row) => row.coverage)}
              name={t.chartCoverage(version)}
              stroke={colorOf(i)}
              strokeDasharray="5 3"
              dot={{ r: 2 }}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </ComposedChart>
      </ChartFrame>
      {(kind === "generator" || hasValues(rows, (row) => row.meanRating)) && (
        <ChartFrame
          title={t.chartRating}
          testId={`chart-rating-${task}`}
          hasData={hasValues(rows, (row) => row.meanRating)}
        >
          <LineChart data={rows} margin={margin}>
            {grid}
            {xAxis}
            <YAxis domain={[1, 5]} ticks={[1, 2, 3, 4, 5]} tick={axisTick} width={28} />
            {tooltip(false)}
            {legend}
            {versions.map((version, i) => (
              <Line
                key={version}
                dataKey={pick(version, (row) => row.meanRating)}
                name={version}
                stroke={colorOf(i)}
                strokeWidth={2}
                dot={{ r: 3 }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ChartFrame>
      )}
      {/* Exits are recorded on replies: a classifier would show a flat zero unless its data says otherwise. */}
      {(kind === "generator" || hasValues(rows, (row) => (row.exits > 0 ? row.exits : null))) && (
        <ChartFrame
          title={t.chartExitRate}
          testId={`chart-exit-${task}`}
          hasData={hasValues(rows, (row) => row.exitRate)}
        >
          <LineChart data={rows} margin={margin}>
            {grid}
            {xAxis}
            <YAxis
              domain={[0, exitTicks.at(-1) ?? 1]}
              ticks={exitTicks}
              tickFormatter={pct}
              tick={axisTick}
              width={44}
            />
            {tooltip(true)}
            {legend}
            {versions.map((version, i) => (
              <Line
                key={version}
                dataKey={pick(version, (row) => row.exitRate)}
                name={version}
                stroke={colorOf(i)}
                strokeWidth={2}
                dot={{ r: 3 }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ChartFrame>
      )}
    </div>
  );
}
