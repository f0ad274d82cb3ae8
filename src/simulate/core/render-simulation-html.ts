import { formatPercent, formatShare } from "./format-percent.js";
import { escapeHtml } from "../../analysis/core/report/escape-text.js";
import {
  isRolloutEvent as isRollout,
  type RolloutEvent,
  type SimulationReport,
  type TimelineEvent,
} from "./simulation-report.js";
import { dayMs } from "./simulation-settings.js";
import { renderLineChart, type ChartMarker, type ChartSeries } from "./svg-line-chart.js";

const palette = ["#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
const markerColors: Record<string, string> = {
  draft: "#888888",
  canary: "#ff7f0e",
  ramp: "#9467bd",
  promote: "#2ca02c",
  rollback: "#d62728",
  halt: "#d62728",
};

/** Fractional days since the start of the run. */
function dayPosition(report: SimulationReport, at: string): number {
  return (Date.parse(at) - Date.parse(String(report.settings.startsAt))) / dayMs;
}

/** One marker per minute with something on it (a draft and its canary start together share one). */
/** A marker names the version without its task (one task per run, named in the legend), so it fits the plot. */
const shortVersion = (id: string) => id.slice(id.indexOf("@") + 1);

function markers(report: SimulationReport, withDrafts: boolean): ChartMarker[] {
  const byTime = new Map<string, TimelineEvent[]>();
  for (const event of report.events) {
    if (event.type === "analysis" || (event.type === "draft" && (!withDrafts || !event.created))) continue;
    const minute = event.at.slice(0, 16);
    byTime.set(minute, [...(byTime.get(minute) ?? []), event]);
  }
  return [...byTime.values()].map((events) => {
    const last = events.at(-1)!;
    return {
      x: dayPosition(report, last.at),
      label: events
        .map((event) =>
          event.type === "draft"
            ? `draft ${shortVersion(event.version)}`
            : `${event.type} ${isRollout(event) ? shortVersion(event.candidate) : ""}`,
        )
        .join(" · "),
      color: markerColors[last.type] ?? "#555555",
    };
  });
}

function accuracyChart(report: SimulationReport): string {
  const versions = [...new Set(report.days.flatMap((day) => day.versions.map((v) => v.version)))];
  const series: ChartSeries[] = versions.map((version, index) => ({
    name: version,
    color: palette[index % palette.length]!,
    points: report.days.flatMap((day) =>
      day.versions.filter((v) => v.version === version).map((v) => ({ x: day.day - 0.5, y: v.accuracy })),
    ),
  }));
  series.push({
    name: "all answers",
    color: "#222222",
    strokeWidth: 3,
    points: report.days.flatMap((day) =>
      day.accuracy === null ? [] : [{ x: day.day - 0.5, y: day.accuracy }],
    ),
  });
  const lowest = Math.min(1, ...series.flatMap((s) => s.points.map((p) => p.y)));
  const floor = Math.max(0, Math.floor(lowest * 10 - 0.5) / 10);
  const yTicks = [];
  for (let value = floor; value <= 1.0001; value += 0.05) yTicks.push({ value, label: formatPercent(value) });
  return renderLineChart({
    title: "Accuracy per day against the gold labels, per serving version",
    xDomain: [0, report.days.length],
    yDomain: [floor, 1],
    xTicks: report.days.map((day) => ({ value: day.day - 0.5, label: String(day.day) })),
    yTicks,
    series,
    markers: markers(report, true),
    xLabel: "simulated day (markers: drafts and rollout decisions)",
  });
}

function shareChart(report: SimulationReport): string {
  const end = report.days.length;
  const experiments = new Map<string, RolloutEvent[]>();
  for (const event of report.events.filter(isRollout)) {
    experiments.set(event.experimentId, [...(experiments.get(event.experimentId) ?? []), event]);
  }
  const series: ChartSeries[] = [...experiments.values()].map((events, index) => {
    const points = events.map((event) => ({ x: dayPosition(report, event.at), y: event.share }));
    const last = points.at(-1)!;
    points.push({ x: end, y: last.y });
    return {
      name: `canary ${events[0]!.candidate}`,
      color: palette[(index + 1) % palette.length]!,
      step: true,
      points,
    };
  });
  return renderLineChart({
    title: "Candidate share of users (canary stages, promotion, rollback)",
    xDomain: [0, end],
    yDomain: [0, 1],
    xTicks: report.days.map((day) => ({ value: day.day - 0.5, label: String(day.day) })),
    yTicks: [0, 0.1, 0.25, 0.5, 0.75, 1].map((value) => ({ value, label: formatPercent(value) })),
    series,
    markers: markers(report, false),
    xLabel: "simulated day",
  });
}

function rows(cells: string[][]): string {
  return cells
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`)
    .join("");
}

function eventText(event: TimelineEvent): string {
  if (event.type === "analysis") return `${event.status}: ${event.decision} — ${event.reason}`;
  if (event.type === "draft") {
    return `${event.version} (${event.strategy})${event.mentions.length ? `, mentions ${event.mentions.join(", ")}` : ""}`;
  }
  return `${event.candidate} → ${formatShare(event.share)} (${event.reasonCode}) ${event.reason}`;
}

/** The simulation as one self-contained HTML page: no script, no external file, every text escaped. */
export function renderSimulationHtml(report: SimulationReport): string {
  const head = [
    "day",
    "date",
    "users",
    "answers",
    "feedback",
    "exits",
    "accuracy",
    "serving: share · accuracy",
  ];
  const dayCells = report.days.map((day) => [
    String(day.day),
    day.date,
    String(day.users),
    String(day.answers),
    `${day.feedback} (${day.mistakenFeedback} wrong)`,
    String(day.exits),
    formatPercent(day.accuracy),
    day.versions
      .map((v) => `${v.version} ${formatShare(v.share)} · ${formatPercent(v.accuracy)}`)
      .join(" | "),
  ]);
  const versionCells = report.versions.map((v) => [
    v.id,
    v.source,
    v.finalLabel ?? "",
    String(v.answers),
    formatPercent(v.accuracy),
    formatPercent(v.goldAccuracy),
    v.mentions.join(", "),
  ]);
  const shares = Object.entries(report.dataset.blindSpotShare)
    .map(([word, share]) => `${word}: ${formatPercent(share)} of the items`)
    .join("; ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>promptloop simulate — ${escapeHtml(report.dataset.file)}</title>
<style>
body{font:14px/1.45 system-ui,"Noto Sans CJK SC",sans-serif;margin:24px auto;max-width:960px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}.note{background:#fff4d6;border:1px solid #e0b44c;padding:8px 12px}
.verdict{font-weight:600;background:#eef6ee;border:1px solid #8bc48b;padding:8px 12px}
table{border-collapse:collapse;width:100%;font-size:12.5px}td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
svg{width:100%;height:auto;margin:8px 0}svg .title{font-size:15px;font-weight:600}svg .plot{fill:#fafafa;stroke:#ccc}
svg .grid{stroke:#e4e4e4}svg .ytick{font-size:11px;text-anchor:end;dominant-baseline:middle}svg .xtick{font-size:11px;text-anchor:middle}
svg .xlabel{font-size:12px;text-anchor:middle;fill:#555}svg .marker{stroke-dasharray:4 3;stroke-width:1.2}
svg .markerlabel{font-size:10.5px}svg .legend{font-size:12px}
</style></head><body>
<h1>promptloop simulate: does the loop learn?</h1>
<p class="note">${escapeHtml(report.model.note)}</p>
<p>Data set ${escapeHtml(report.dataset.file)}: ${report.dataset.items} items${shares ? ` (${escapeHtml(shares)})` : ""}.
${escapeHtml(String(report.settings.days))} days, ${escapeHtml(String(report.settings.usersPerDay))} users/day, rollout preset
${escapeHtml(String(report.settings.rolloutPreset))}, seed ${escapeHtml(String(report.settings.seed))}.</p>
<p class="verdict">${escapeHtml(report.summary.verdict)}</p>
${accuracyChart(report)}
${shareChart(report)}
<h2>Per day</h2><table><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows(dayCells)}</tbody></table>
<h2>Timeline</h2><table><tbody>${rows(report.events.map((e) => [`day ${e.day} ${e.at.slice(11, 16)}`, e.type, eventText(e)]))}</tbody></table>
<h2>Versions</h2><table><thead><tr><th>version</th><th>source</th><th>label at the end</th><th>answers</th><th>served accuracy</th><th>gold accuracy (${report.versions[0]?.goldItems ?? 0} items)</th><th>mentions</th></tr></thead>
<tbody>${rows(versionCells)}</tbody></table>
</body></html>
`;
}
