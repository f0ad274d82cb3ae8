import { formatPercent, formatShare } from "./format-percent.js";
import type { LabelledItem } from "./labelled-items.js";
import {
  isRolloutEvent,
  type DayRow,
  type SimulationReport,
  type TimelineEvent,
  type VersionSummary,
} from "./simulation-report.js";

export interface SimulationOutcome {
  model: SimulationReport["model"];
  datasetFile: string;
  items: readonly LabelledItem[];
  settings: Record<string, unknown>;
  days: DayRow[];
  events: TimelineEvent[];
  versions: VersionSummary[];
  /** Experiments still running at the end, with the reason of their latest look. */
  stillRunning: { candidate: string; share: number; waitingFor: string }[];
}

/** Why nothing shipped, from the last thing the loop said about it. */
function nothingShipped(
  events: readonly TimelineEvent[],
  running: SimulationOutcome["stillRunning"],
): string {
  const open = running[0];
  if (open) {
    return (
      `Nothing shipped yet: the canary of ${open.candidate} was still running at ${formatShare(open.share)} ` +
      `at the end. Its last look: ${open.waitingFor}`
    );
  }
  const last = events.findLast((event) => event.type !== "analysis" && event.type !== "draft");
  if (last && (last.type === "rollback" || last.type === "halt")) {
    const what = last.type === "halt" ? "halted" : "rolled back";
    return `Nothing shipped: ${last.candidate} was ${what} on day ${last.day} (${last.reasonCode}): ${last.reason}`;
  }
  const analysis = events.findLast((event) => event.type === "analysis");
  if (analysis?.type === "analysis") {
    return `Nothing shipped: the last analysis run (day ${analysis.day}) recommended no change: ${analysis.reason}`;
  }
  return "Nothing shipped: no analysis run took place (is ANALYSIS_CRON empty, or the run shorter than a day?).";
}

/** The report: the counts as measured, the blind-spot shares of the data set, and the verdict in one sentence. */
export function summariseSimulation(outcome: SimulationOutcome): SimulationReport {
  const { days, events, versions } = outcome;
  const labelCounts: Record<string, number> = {};
  for (const item of outcome.items) labelCounts[item.gold] = (labelCounts[item.gold] ?? 0) + 1;
  const blindSpotShare = Object.fromEntries(
    outcome.model.blindSpots.map((word) => [
      word,
      outcome.items.filter((item) => item.text.includes(word)).length / Math.max(1, outcome.items.length),
    ]),
  );
  const first = days.find((day) => day.accuracy !== null)?.accuracy ?? null;
  const last = days.findLast((day) => day.accuracy !== null)?.accuracy ?? null;
  const goldOf = (id: string) => versions.find((version) => version.id === id)?.goldAccuracy ?? null;
  const promotions = events.filter(isRolloutEvent).filter((event) => event.type === "promote");
  const promoted = promotions.map((event) => event.candidate);
  const harmfulPromotions = promotions
    .filter((event) => {
      const candidate = goldOf(event.candidate);
      const control = goldOf(event.control);
      return candidate !== null && control !== null && candidate < control;
    })
    .map((event) => event.candidate);
  const firstPromotion = promotions[0];
  const verdict = firstPromotion
    ? `Promoted ${promoted.join(", ")} (first on day ${firstPromotion.day}); accuracy against the gold labels ` +
      `went from ${first === null ? "n/a" : formatPercent(first)} on day 1 to ${last === null ? "n/a" : formatPercent(last)} ` +
      `on day ${days.length}.`
    : nothingShipped(events, outcome.stillRunning);
  return {
    model: outcome.model,
    dataset: { file: outcome.datasetFile, items: outcome.items.length, labels: labelCounts, blindSpotShare },
    settings: outcome.settings,
    days,
    events,
    versions,
    summary: {
      firstDayAccuracy: first,
      lastDayAccuracy: last,
      gainPoints: first === null || last === null ? null : Math.round((last - first) * 1000) / 10,
      promoted,
      harmfulPromotions,
      verdict,
    },
  };
}
