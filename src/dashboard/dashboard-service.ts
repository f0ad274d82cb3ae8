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
import { createQualityAnalysis, type QualityRow } from "../analysis/core/quality/quality-analysis.js";
import { createTurnLinker, type LinkedTurn } from "../analysis/core/quality/turn-linker.js";
import { readTurnSignals } from "../analysis/core/quality/turn-signals.js";
import { createSeededRandom } from "../statistics/seeded-random.js";
import type { InteractionWithFeedback } from "../feedback/store/interaction-store.js";

export type { VersionStatus } from "../prompts/registry-version-status.js";

export interface DashboardQuery {
  bucket: "day" | "hour";
  days: number;
}

const bucketMs = { day: 86_400_000, hour: 3_600_000 } as const;
const misclassifiedLimit = 50;

/** The fused quality score's columns of a row (docs/analysis.md#fused-quality-score); null without scored turns. */
function qualityColumns(row: QualityRow | undefined) {
  return {
    scoredTurns: row?.scored ?? 0,
    meanScore: row?.meanScore ?? null,
    meanScoreLow: row?.meanScoreLow ?? null,
    meanScoreHigh: row?.meanScoreHigh ?? null,
    badTurns: row?.badTurns ?? 0,
    badTurnRate: row?.badTurnRate ?? null,
    badTurnRateLow: row?.badTurnRateLow ?? null,
    badTurnRateHigh: row?.badTurnRateHigh ?? null,
  };
}

const qualityKey = (task: string, version: string, bucketStart: number | null) =>
  `${task}\u0000${version}\u0000${bucketStart}`;

interface PendingTurn {
  task: string;
  sessionHash: string | null;
  input: string;
  hasFollowUp: boolean;
  createdAt: number;
  stored: InteractionWithFeedback;
}

function seriesRow(row: MetricsRow, quality: ReadonlyMap<string, QualityRow>) {
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
    exitsThroughReplies: row.exitsThroughReplies,
    exitThroughReplyRate: row.exitThroughReplyRate,
    confusion: row.confusion,
    ...qualityColumns(quality.get(qualityKey(row.task, row.promptVersionId, row.bucketStart))),
    perLabel: row.perLabel,
    qaChecked: row.qaChecked,
    qaCorrect: row.qaCorrect,
    qaAccuracy: row.qaAccuracy,
    qaAccuracyLow: row.qaAccuracyLow,
    qaAccuracyHigh: row.qaAccuracyHigh,
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
      // The quality score per task with the prior weights (no fit here), follow-ups judged by the next turn.
      const quality = new Map(
        tasks.map((t) => [
          t.task,
          createQualityAnalysis({
            random: createSeededRandom(1),
            bucketMs: bucketMs[query.bucket],
            fitSampleSize: 0,
            mine: false,
          }),
        ]),
      );
      const linker = createTurnLinker<PendingTurn>();
      const addLinked = (linked: readonly LinkedTurn<PendingTurn>[]) => {
        for (const { turn, followUp, ignoredReason } of linked) {
          const { interaction, events } = turn.stored;
          quality.get(turn.task)?.add(
            {
              interactionId: interaction.id,
              promptVersionId: interaction.promptVersionId,
              input: interaction.input,
              sessionHash: interaction.sessionHash,
              createdAt: interaction.createdAt,
              signals: readTurnSignals({ output: interaction.output, events }, followUp),
              // Not mined here (mine: false), so the reply and edit texts are not needed.
              output: null,
              editText: null,
              current: false,
            },
            ignoredReason,
          );
        }
      };
      const misclassified: Array<Record<string, unknown>> = [];
      const since = deps.now() - query.days * 86_400_000;
      for await (const stored of deps.interactions.streamWithFeedback({ since })) {
        addLinked(
          linker.add({
            task: stored.interaction.task,
            sessionHash: stored.interaction.sessionHash,
            input: stored.interaction.input,
            hasFollowUp: stored.events.some((event) => event.type === "follow_up"),
            createdAt: stored.interaction.createdAt,
            stored,
          }),
        );
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
      addLinked(linker.finish());
      const qualityRows = new Map<string, QualityRow>();
      for (const [task, fold] of quality) {
        for (const row of fold.result().rows) {
          qualityRows.set(qualityKey(task, row.promptVersionId, row.bucketStart), row);
        }
      }
      const toRow = (row: MetricsRow) => seriesRow(row, qualityRows);
      // Retired is per version, derived from the move log: the `retired` label only remembers the latest.
      const statuses = deriveVersionStatuses(labels, moves);
      const statusOf = (id: string): VersionStatus => statusOfVersion(statuses, id).status;
      return {
        generatedAt: new Date(deps.now()).toISOString(),
        tasks,
        series: metrics.series().map(toRow),
        totals: metrics.totals().map(toRow),
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
