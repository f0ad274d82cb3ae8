/** Metrics of one task × prompt version, over one bucket or the whole window. */
export interface MetricRow {
  task: string;
  promptVersion: string;
  interactions: number;
  feedbackEvents: number;
  explicitFeedback: number;
  coverage: number;
  labelled: number;
  correct: number;
  /** Null when nothing was labelled; the bounds are a Wilson 95% interval. */
  accuracy: number | null;
  accuracyLow: number | null;
  accuracyHigh: number | null;
  ratings: number;
  meanRating: number | null;
  exits: number;
  exitRate: number | null;
  /** Interactions whose reply the user left on (a classification credited through its chat reply), apart from `exits`. */
  exitsThroughReplies: number;
  exitThroughReplyRate: number | null;
  /** The fused quality score (docs/analysis.md#fused-quality-score): turns with a score, mean with a 95% interval. */
  scoredTurns: number;
  meanScore: number | null;
  meanScoreLow: number | null;
  meanScoreHigh: number | null;
  /** Bad turns (rated ≤ 2 or scored below 0.4) and their rate with a Wilson 95% interval. */
  badTurns: number;
  badTurnRate: number | null;
  badTurnRateLow: number | null;
  badTurnRateHigh: number | null;
}

export interface SeriesRow extends MetricRow {
  bucketStart: string;
}

export interface MisclassifiedRow {
  interactionId: string;
  task: string;
  promptVersion: string;
  input: string;
  predicted: string;
  corrected: string;
  reasons: string[];
  createdAt: string;
}

export interface PromptVersionRow {
  id: string;
  task: string;
  version: string;
  kind: string;
  labels?: string[];
  systemPrompt: string;
  status: string;
  source: string;
  createdAt: string;
}

/** One recorded rollout decision (docs/api.md, "experiments"). */
export interface ExperimentDecisionRow {
  id: number;
  /** `continue` | `ramp` | `promote` | `rollback` | `halt` | `start`; kept open so a newer server still renders. */
  action: string;
  reasonCode: string;
  /** The reason in a sentence, with the numbers behind it. */
  reason: string;
  actor: string;
  decidedAt: string;
  stageIndex: number;
  /** Per-arm counts and the decision core's statistics; null for a start. Read with `armSummaries`. */
  statistics: unknown;
}

/** A prompt rollout experiment: control vs. candidate version, with its latest decisions, newest first. */
export interface ExperimentRow {
  id: string;
  task: string;
  /** The control version (active when the experiment started). */
  control: string;
  /** The candidate version (the canary). */
  candidate: string;
  /** `running` | `halted` | `promoted` | `rolled_back`. */
  status: string;
  /** The candidate's share of units now, in [0, 1]. */
  share: number;
  stageIndex: number;
  /** The ramp steps' shares, e.g. [0.1, 0.5, 1]. */
  rampShares: number[];
  startedAt: string;
  stageStartedAt: string;
  endedAt: string | null;
  startedBy: string;
  startReason: string;
  /** How many decisions there are in all; `decisions` may hold only the latest. */
  decisionCount: number;
  decisions: ExperimentDecisionRow[];
}

/** GET /api/admin/dashboard (docs/api.md). */
export interface DashboardData {
  generatedAt: string;
  tasks: { task: string; kind: string; labels?: string[] }[];
  series: SeriesRow[];
  totals: MetricRow[];
  misclassified: MisclassifiedRow[];
  promptVersions: PromptVersionRow[];
  /** Newest first; absent from servers older than the rollout work, hence optional. */
  experiments?: ExperimentRow[];
}

/** An admin API request on the operator's session (see console/operator-gate.tsx); failures are ApiError. */
export type AdminRequest = (url: string, init?: RequestInit) => Promise<Response>;

/** Fetches the dashboard on the operator's session; 401/403 arrive as ApiError with the server's code. */
export async function fetchDashboard(request: AdminRequest, signal?: AbortSignal): Promise<DashboardData> {
  const response = await request("/api/admin/dashboard?bucket=day&days=30", signal ? { signal } : {});
  const body = (await response.json()) as Partial<DashboardData>;
  // Missing arrays are treated as empty so a partial answer still renders.
  return {
    generatedAt: body.generatedAt ?? new Date().toISOString(),
    tasks: body.tasks ?? [],
    series: body.series ?? [],
    totals: body.totals ?? [],
    misclassified: body.misclassified ?? [],
    promptVersions: body.promptVersions ?? [],
    experiments: body.experiments ?? [],
  };
}

/** One x position of a chart: a bucket, with each prompt version's row if it had data then. */
export interface ChartRow {
  bucket: number;
  byVersion: Record<string, SeriesRow | undefined>;
}

/**
 * Turns the flat series into chart rows for one task: one row per bucket from the first to the last
 * with data, empty buckets included so the x axis keeps time evenly spaced, and the task's versions in
 * the order they first appear.
 */
export function pivotSeries(
  series: readonly SeriesRow[],
  task: string,
  bucketMs: number,
): { versions: string[]; rows: ChartRow[] } {
  const rowsOfTask = series.filter((row) => row.task === task);
  const versions = [...new Set(rowsOfTask.map((row) => row.promptVersion))];
  const starts = rowsOfTask.map((row) => Date.parse(row.bucketStart)).filter(Number.isFinite);
  if (starts.length === 0) return { versions, rows: [] };
  const first = Math.min(...starts);
  const last = Math.max(...starts);
  const rows: ChartRow[] = [];
  const index = new Map<number, ChartRow>();
  // Bounded: a 30-day window has at most 30 daily (720 hourly) buckets.
  for (let bucket = first; bucket <= last; bucket += bucketMs) {
    const row: ChartRow = { bucket, byVersion: {} };
    rows.push(row);
    index.set(bucket, row);
  }
  for (const row of rowsOfTask) {
    const start = Date.parse(row.bucketStart);
    // A bucket off the grid (e.g. across a DST change) gets a row of its own, kept in order.
    let target = index.get(start);
    if (!target) {
      target = { bucket: start, byVersion: {} };
      index.set(start, target);
      rows.push(target);
      rows.sort((a, b) => a.bucket - b.bucket);
    }
    target.byVersion[row.promptVersion] = row;
  }
  return { versions, rows };
}

/** Whether any version has a value for the metric in any bucket: charts without one show a note instead. */
export function hasValues(rows: readonly ChartRow[], pick: (row: SeriesRow) => number | null): boolean {
  return rows.some((row) =>
    Object.values(row.byVersion).some((entry) => entry !== undefined && pick(entry) !== null),
  );
}

/**
 * The decisions newest first. The server already sends them so; sorting again (by time, then id) keeps the
 * table right whatever order an older or newer server uses.
 */
export function decisionsNewestFirst(decisions: readonly ExperimentDecisionRow[]): ExperimentDecisionRow[] {
  return [...decisions].sort((a, b) => Date.parse(b.decidedAt) - Date.parse(a.decidedAt) || b.id - a.id);
}
