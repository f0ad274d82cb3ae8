import { createMetricsAccumulator, type MetricsRow } from "../analysis/core/metrics.js";
import { resolveGroundTruth } from "../analysis/core/resolve-ground-truth.js";
import type { PromptStore } from "../prompts/store/prompt-store.js";
import {
  deriveVersionStatuses,
  statusOfVersion,
  type VersionStatus,
} from "../prompts/registry-version-status.js";
import type { ExperimentView } from "../rollout/service/experiment-view.js";
import type { InteractionStore } from "../feedback/store/interaction-store.js";
import { toAnalysisItem } from "../analysis/job/to-analysis-item.js";

export type { VersionStatus } from "../prompts/registry-version-status.js";

export interface DashboardQuery {
  bucket: "day" | "hour";
  days: number;
}

const bucketMs = { day: 86_400_000, hour: 3_600_000 } as const;
const misclassifiedLimit = 50;

function seriesRow(row: MetricsRow) {
  return {
    task: row.task,
    promptVersion: row.promptVersionId,
    ...(row.bucketStart !== null && { bucketStart: new Date(row.bucketStart).toISOString() }),
    interactions: row.interactions,
    feedbackEvents: row.feedbackEvents,
    explicitFeedback: row.explicitFeedback,
    coverage: row.coverage,
    labelled: row.labelled,
    correct: row.correct,
    accuracy: row.accuracy,
    accuracyLow: row.accuracyLow,
    accuracyHigh: row.accuracyHigh,
    errorRate: row.errorRate,
    ratings: row.ratings,
    meanRating: row.meanRating,
    exits: row.exits,
    exitRate: row.exitRate,
    confusion: row.confusion,
  };
}

/** What the admin dashboard shows: per task × version metrics over time, recent mistakes, and the versions. */
export function createDashboardService(deps: {
  interactions: InteractionStore;
  prompts: PromptStore;
  now: () => number;
  /** Rollout experiments with their decision history (the rollout service's listExperiments). */
  experiments?: () => Promise<ExperimentView[]>;
}) {
  return {
    async build(query: DashboardQuery) {
      const [versions, labels, moves] = await Promise.all([
        deps.prompts.listVersions(),
        deps.prompts.listLabels(),
        deps.prompts.listMoves(),
      ]);
      const labelsByVersion = new Map(versions.map((v) => [v.id, v.definition.labels]));
      const tasks = [...new Map(versions.map((v) => [v.definition.task, v.definition])).values()].map(
        (d) => ({
          task: d.task,
          kind: d.kind,
          ...(d.labels && { labels: d.labels }),
        }),
      );
      const metrics = createMetricsAccumulator({
        tasks: tasks.map((t) => ({ task: t.task, ...(t.labels && { labels: t.labels }) })),
        bucketMs: bucketMs[query.bucket],
      });
      const misclassified: Array<Record<string, unknown>> = [];
      const since = deps.now() - query.days * 86_400_000;
      for await (const stored of deps.interactions.streamWithFeedback({ since })) {
        const item = toAnalysisItem(stored);
        const truth = resolveGroundTruth(item, labelsByVersion.get(stored.interaction.promptVersionId));
        metrics.add(item, truth);
        if (truth.correct === false) {
          // Ascending order: the newest mistakes are the last ones seen.
          misclassified.push({
            interactionId: stored.interaction.id,
            task: stored.interaction.task,
            promptVersion: stored.interaction.promptVersionId,
            input: stored.interaction.input,
            predicted: stored.interaction.label,
            corrected: truth.gold,
            reasons: truth.userReasons,
            createdAt: new Date(stored.interaction.createdAt).toISOString(),
          });
          if (misclassified.length > misclassifiedLimit) misclassified.shift();
        }
      }
      // Retired is per version, derived from the move log: the `retired` label only remembers the latest.
      const statuses = deriveVersionStatuses(labels, moves);
      const statusOf = (id: string): VersionStatus => statusOfVersion(statuses, id).status;
      return {
        generatedAt: new Date(deps.now()).toISOString(),
        tasks,
        series: metrics.series().map(seriesRow),
        totals: metrics.totals().map(seriesRow),
        misclassified: misclassified.reverse(),
        promptVersions: versions.map((v) => ({
          id: v.id,
          task: v.definition.task,
          version: v.definition.version,
          kind: v.definition.kind,
          ...(v.definition.labels && { labels: v.definition.labels }),
          systemPrompt: v.definition.systemPrompt,
          status: statusOf(v.id),
          source: v.source,
          parentId: v.parentId,
          createdAt: new Date(v.createdAt).toISOString(),
        })),
        experiments: deps.experiments ? await deps.experiments() : [],
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
