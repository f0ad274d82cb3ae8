import { formatPercent, formatShare } from "./format-percent.js";
import type { DayRow, SimulationReport, TimelineEvent, VersionSummary } from "./simulation-report.js";

/** Left-aligned columns; the last column may hold wide (CJK) text, so nothing is padded after it. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)];
}

function dayLine(day: DayRow): string[] {
  const refused = Object.values(day.refused).reduce((sum, count) => sum + count, 0);
  return [
    String(day.day),
    day.date,
    String(day.users),
    String(day.answers),
    String(refused),
    `${day.feedback} (${day.mistakenFeedback} wrong)`,
    String(day.exits),
    day.spamRequests > 0 ? String(day.spamRequests) : "",
    formatPercent(day.accuracy),
    day.versions
      .map((v) => `${v.version} ${formatShare(v.share)} · ${formatPercent(v.accuracy)}`)
      .join(" | "),
  ];
}

function clock(event: TimelineEvent): string {
  return `day ${String(event.day).padStart(2)} ${event.at.slice(11, 16)}`;
}

function eventLine(event: TimelineEvent): string {
  switch (event.type) {
    case "analysis":
      return (
        `${clock(event)}  analysis  ${event.status}: ${event.decision} — ${event.reason}` +
        (event.topPattern ? ` [top error pattern: ${event.topPattern}]` : "")
      );
    case "draft":
      return (
        `${clock(event)}  draft     ${event.version} (${event.strategy}${event.created ? "" : ", already stored"})` +
        (event.mentions.length > 0 ? `, mentions ${event.mentions.join(", ")}` : "")
      );
    default: {
      const gold = event.goldAccuracy
        ? `; gold accuracy so far: control ${formatPercent(event.goldAccuracy.control)}, candidate ${formatPercent(event.goldAccuracy.candidate)}`
        : "";
      return (
        `${clock(event)}  ${event.type.padEnd(8)}  ${event.candidate} → ${formatShare(event.share)} ` +
        `(${event.reasonCode}) ${event.reason}${gold}`
      );
    }
  }
}

function versionLine(version: VersionSummary): string[] {
  return [
    version.id,
    version.source,
    version.finalLabel ?? "",
    String(version.answers),
    formatPercent(version.accuracy),
    formatPercent(version.goldAccuracy),
    version.mentions.join(", "),
  ];
}

/** What `promptloop simulate` prints without --json: the model, the day table, the timeline, the versions. */
export function formatSimulationText(report: SimulationReport): string {
  const shares = Object.entries(report.dataset.blindSpotShare)
    .map(([word, value]) => `${word} in ${formatPercent(value)} of the items`)
    .join(", ");
  const lines = [
    report.model.scripted ? report.model.note : `Model: ${report.model.note}`,
    `Data set: ${report.dataset.file}, ${report.dataset.items} items${shares ? `; ${shares}` : ""}`,
    "",
    "Per day (ordinary users; accuracy against the gold labels, which the loop never sees)",
    ...table(
      [
        "day",
        "date",
        "users",
        "answers",
        "refused",
        "feedback",
        "exits",
        "spam",
        "accuracy",
        "serving: share · accuracy",
      ],
      report.days.map(dayLine),
    ),
    "",
    "Timeline",
    ...(report.events.length > 0 ? report.events.map(eventLine) : ["(nothing happened)"]),
    "",
    `Versions (gold accuracy: replayed offline on ${report.versions[0]?.goldItems ?? 0} items)`,
    ...table(
      ["version", "source", "label", "answers", "served acc.", "gold acc.", "mentions"],
      report.versions.map(versionLine),
    ),
    "",
    report.summary.verdict,
  ];
  return `${lines.join("\n")}\n`;
}
