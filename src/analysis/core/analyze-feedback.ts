import type { InteractionWithFeedback, TaskDefinition } from "./analysis-input.js";
import type {
  ErrorMiner,
  ErrorMinerOptions,
  ErrorMiningResult,
  PatternRankingOptions,
} from "./error-miner.js";
import { createErrorMiner } from "./error-miner.js";
import type { LabelledExample } from "./labelled-example.js";
import type { MetricsRow } from "./metrics.js";
import { createMetricsAccumulator } from "./metrics.js";
import type { ReservoirSample } from "./reservoir-sample.js";
import { createReservoirSample } from "./reservoir-sample.js";
import { resolveGroundTruth, type GroundTruth } from "./resolve-ground-truth.js";
import type { SessionDominatedPattern } from "./pattern-session-audit.js";
import {
  createSessionQuota,
  sessionQuotaGroup,
  type CappedSession,
  type SessionQuota,
} from "./session-quota.js";
import type { RandomSource } from "../../statistics/seeded-random.js";
import { createSeededRandom } from "../../statistics/seeded-random.js";
import type { WordSegmenter } from "./segment-text.js";
import { createWordSegmenter } from "./segment-text.js";
import { splitAt, splitByTime } from "./split-by-time.js";
import type { TriggerDecision, TriggerPolicy } from "./trigger-policy.js";
import {
  createQualityAnalysis,
  type QualityAnalysis,
  type QualityAnalysisFold,
} from "./quality/quality-analysis.js";
import { createTurnLinker, type LinkedTurn } from "./quality/turn-linker.js";
import { readTurnSignals } from "./quality/turn-signals.js";
import { patternReasonTags } from "./quality/reason-tags.js";
import { decideTrigger, defaultTriggerPolicy } from "./trigger-policy.js";
import { decideGeneratorTrigger } from "./generator/generator-trigger.js";

/** A task to analyse. */
export interface AnalysisTaskSpec extends TaskDefinition {
  /**
   * The version serving now: mining, example samples and the trigger are about it (other versions only get
   * metrics). Without it, every version of the task is mined together and the trigger looks at the version of
   * the latest interaction.
   */
  currentVersionId?: string;
}

/** Options of one analysis run. Everything that varies is here, so equal options + equal input = equal result. */
export interface AnalysisRunOptions {
  tasks: readonly AnalysisTaskSpec[];
  /** Metrics window in ms. Default one day. */
  bucketMs?: number;
  /** See MetricsOptions.bucketOffsetMs. */
  bucketOffsetMs?: number;
  /** Seed of every reservoir sample. Default 1. */
  seed?: number;
  /** Word segmentation for the miner. Default ICU (zh). */
  segmentWords?: WordSegmenter;
  /**
   * The watermark: feedback events with id ≤ this were seen by an earlier run. Used to count new evidence (the
   * trigger requires some); metrics still cover everything streamed.
   */
  sinceEventId?: number | null;
  /**
   * Interactions created at or after this time are held out: not mined and never used to build candidates, only
   * to replay them. Without it, the example sample is split by time at the end (see holdoutFraction) and the
   * mined patterns include the held-out period (reported as `miningIncludesHoldout`).
   */
  holdoutFrom?: number | null;
  /** Share of the example sample held out by time when holdoutFrom is absent. Default 0.3. */
  holdoutFraction?: number;
  /** Uniform sample of labelled examples of the current version (before the holdout). Default 2000. */
  exampleSampleSize?: number;
  /** Extra sample of misclassified examples with a known gold label (before the holdout). Default 1000. */
  errorSampleSize?: number;
  /** Sample of labelled examples after holdoutFrom. Default 1000. */
  heldOutSampleSize?: number;
  miner?: Pick<
    ErrorMinerOptions,
    "ngramSizes" | "capacityPerKind" | "examplesPerPattern" | "maxExampleChars"
  >;
  ranking?: PatternRankingOptions;
  trigger?: Partial<TriggerPolicy>;
  /**
   * The largest share of a task version's labelled interactions one session may hold (see createSessionQuota);
   * labels beyond it count as no label anywhere in the run (metrics, trigger, mining, examples). Default 1: no cap.
   */
  maxSessionShare?: number;
  /** Masks personal data in text that goes into a candidate (chat exemplars). Default: none. */
  maskPersonalData?: (text: string) => string;
}

/** The held-out / candidate-building split of the sampled labelled examples. */
export interface ExampleSplit {
  /** Earlier examples (sampled): the only material candidates are built from. */
  pool: LabelledExample[];
  /** Later examples (uniform sample): candidates are replayed on these. */
  heldOut: LabelledExample[];
  /** epoch ms; examples at or after it are held out. */
  cutoff: number | null;
  /** True when the mined patterns also saw the held-out period (no holdoutFrom given). */
  miningIncludesHoldout: boolean;
}

/** Everything the run learned about one task. */
export interface TaskAnalysis {
  task: string;
  labels: readonly string[];
  kind: "classifier" | "generator";
  currentVersionId: string | null;
  /** Totals per version of this task. */
  versions: MetricsRow[];
  /** Per window, per version. */
  series: MetricsRow[];
  /** The current version's totals row. */
  current: MetricsRow | null;
  mining: ErrorMiningResult | null;
  examples: ExampleSplit;
  /** Feedback events and labelled interactions of the current version newer than the watermark. */
  newEvents: number;
  newLabelled: number | null;
  trigger: TriggerDecision;
  /** Who the current version's labels came from: distinct sessions counted, and the sessions held to their share. */
  sessions: SessionContributions;
  /** The fused quality score and the implicit signals (docs/analysis.md#fused-quality-score). */
  quality: QualityAnalysis;
}

/** How many sessions the labels behind a decision came from, and which ones were capped (FEEDBACK_MAX_SESSION_SHARE). */
export interface SessionContributions {
  maxShare: number;
  distinct: number;
  /** Distinct sessions among the counted labels that say the version was wrong: who the case for a change rests on. */
  errorSessions: number;
  capped: CappedSession[];
  /** Mined patterns left out because too few sessions supported them (filled by the job's second pass). */
  dominatedPatterns: SessionDominatedPattern[];
}

export interface AnalysisResult {
  tasks: TaskAnalysis[];
  interactions: number;
  feedbackEvents: number;
  /** epoch ms of the earliest and latest interaction streamed; null when none. */
  window: { from: number | null; to: number | null };
  /** `previous` as given; `next` is the highest feedback event id seen (pass it as sinceEventId next time). */
  watermark: { previous: number | null; next: number | null };
}

export interface AnalysisRun {
  /** Adds one interaction with all its feedback; call in interaction order. */
  add(item: InteractionWithFeedback): void;
  finish(): AnalysisResult;
}

interface TaskState {
  spec: AnalysisTaskSpec;
  labels: readonly string[];
  miner: ErrorMiner | null;
  sample: ReservoirSample<LabelledExample>;
  errorSample: ReservoirSample<LabelledExample>;
  heldOutSample: ReservoirSample<LabelledExample>;
  latestVersion: string | null;
  latestAt: number;
  newEvents: number;
  newLabelled: number;
  /** Current-version turns with a feedback event newer than the watermark (the generator trigger's "new"). */
  newTurnsWithFeedback: number;
  quality: QualityAnalysisFold;
}

/** A turn waiting in the linker for the session's next one. */
interface PendingTurn {
  task: string;
  sessionHash: string | null;
  input: string;
  hasFollowUp: boolean;
  createdAt: number;
  item: InteractionWithFeedback;
  current: boolean;
}

/** Starts a streaming analysis: memory stays bounded however many items are added (see the option sizes). */
export function createAnalysisRun(options: AnalysisRunOptions): AnalysisRun {
  const random: RandomSource = createSeededRandom(options.seed ?? 1);
  const maxSessionShare = options.maxSessionShare ?? 1;
  const quota = createSessionQuota(maxSessionShare);
  const segmentWords = options.segmentWords ?? createWordSegmenter();
  const metrics = createMetricsAccumulator({
    tasks: options.tasks,
    bucketMs: options.bucketMs ?? 86_400_000,
    ...(options.bucketOffsetMs === undefined ? {} : { bucketOffsetMs: options.bucketOffsetMs }),
    ...(options.trigger?.confidence === undefined ? {} : { confidence: options.trigger.confidence }),
  });
  const since = options.sinceEventId ?? null;
  const holdoutFrom = options.holdoutFrom ?? null;
  const states = new Map<string, TaskState>();
  for (const spec of options.tasks) {
    const labels = spec.labels ?? [];
    states.set(spec.task, {
      spec,
      labels,
      miner:
        labels.length === 0
          ? null
          : createErrorMiner({ labels, random, segmentWords, ...(options.miner ?? {}) }),
      sample: createReservoirSample(options.exampleSampleSize ?? 2000, random),
      errorSample: createReservoirSample(options.errorSampleSize ?? 1000, random),
      heldOutSample: createReservoirSample(options.heldOutSampleSize ?? 1000, random),
      latestVersion: null,
      latestAt: Number.NEGATIVE_INFINITY,
      newEvents: 0,
      newLabelled: 0,
      newTurnsWithFeedback: 0,
      quality: createQualityAnalysis({
        random,
        segmentWords,
        bucketMs: options.bucketMs ?? 86_400_000,
        ...(options.bucketOffsetMs === undefined ? {} : { bucketOffsetMs: options.bucketOffsetMs }),
        ...(options.trigger?.confidence === undefined ? {} : { confidence: options.trigger.confidence }),
        mine: labels.length === 0,
        ...(options.maskPersonalData && { mask: options.maskPersonalData }),
        ...(options.holdoutFraction !== undefined && { holdoutFraction: options.holdoutFraction }),
        ...(options.ranking === undefined ? {} : { ranking: options.ranking }),
      }),
    });
  }
  const linker = createTurnLinker<PendingTurn>();
  const addLinked = (linked: readonly LinkedTurn<PendingTurn>[]) => {
    for (const { turn, followUp, ignoredReason } of linked) {
      const { interaction, events } = turn.item;
      states.get(turn.task)!.quality.add(
        {
          interactionId: interaction.id,
          promptVersionId: interaction.promptVersionId,
          input: interaction.input,
          sessionHash: interaction.sessionHash,
          createdAt: interaction.createdAt,
          signals: readTurnSignals({ output: interaction.output ?? null, events }, followUp),
          output: interaction.output ?? null,
          editText: latestEdit(events),
          current: turn.current,
        },
        ignoredReason,
      );
    }
  };
  let interactions = 0;
  let feedbackEvents = 0;
  let from: number | null = null;
  let to: number | null = null;
  let maxEventId: number | null = null;

  return {
    add(item) {
      const { interaction, events } = item;
      interactions += 1;
      feedbackEvents += events.length;
      from = from === null ? interaction.createdAt : Math.min(from, interaction.createdAt);
      to = to === null ? interaction.createdAt : Math.max(to, interaction.createdAt);
      let newestEventId = -Infinity;
      for (const event of events) if (event.id > newestEventId) newestEventId = event.id;
      if (events.length > 0)
        maxEventId = maxEventId === null ? newestEventId : Math.max(maxEventId, newestEventId);

      const state = states.get(interaction.task);
      let truth = resolveGroundTruth(item, state?.labels);
      if (
        truth.correct !== null &&
        !quota.admit(sessionQuotaGroup(interaction), interaction.sessionHash, !truth.correct)
      ) {
        truth = overQuota;
      }
      metrics.add(item, truth);
      if (state === undefined) return;
      if (interaction.createdAt >= state.latestAt) {
        state.latestAt = interaction.createdAt;
        state.latestVersion = interaction.promptVersionId;
      }
      const current = state.spec.currentVersionId;
      addLinked(
        linker.add({
          task: interaction.task,
          sessionHash: interaction.sessionHash,
          input: interaction.input,
          hasFollowUp: events.some((event) => event.type === "follow_up"),
          createdAt: interaction.createdAt,
          item,
          current: current === undefined || interaction.promptVersionId === current,
        }),
      );
      if (current !== undefined && interaction.promptVersionId !== current) return;
      if (since !== null) {
        for (const event of events) if (event.id > since) state.newEvents += 1;
        if (truth.correct !== null && newestLabelEventId(item) > since) state.newLabelled += 1;
        if (events.some((event) => event.id > since)) state.newTurnsWithFeedback += 1;
      }
      if (truth.correct === null || state.miner === null) return;
      const heldOut = holdoutFrom !== null && interaction.createdAt >= holdoutFrom;
      if (!heldOut) {
        state.miner.add({
          interactionId: interaction.id,
          text: interaction.input,
          predicted: interaction.predictedLabel,
          gold: truth.gold,
          correct: truth.correct,
          createdAt: interaction.createdAt,
        });
      }
      if (truth.gold === null) return;
      const example: LabelledExample = {
        interactionId: interaction.id,
        promptVersionId: interaction.promptVersionId,
        text: interaction.input,
        predicted: interaction.predictedLabel,
        gold: truth.gold,
        correct: truth.correct,
        source: truth.source,
        userReasons: truth.userReasons,
        createdAt: interaction.createdAt,
      };
      if (heldOut) {
        state.heldOutSample.add(example);
        return;
      }
      state.sample.add(example);
      if (!truth.correct) state.errorSample.add(example);
    },

    finish() {
      addLinked(linker.finish());
      const totals = metrics.totals();
      const series = metrics.series();
      const policy = { ...defaultTriggerPolicy, ...(options.trigger ?? {}) };
      const tasks: TaskAnalysis[] = [...states.values()].map((state) => {
        const currentVersionId = state.spec.currentVersionId ?? state.latestVersion;
        const versions = totals.filter((row) => row.task === state.spec.task);
        const current = versions.find((row) => row.promptVersionId === currentVersionId) ?? null;
        const newLabelled = since === null ? null : state.newLabelled;
        const quality = state.quality.result();
        const generator = state.labels.length === 0;
        const qualityTotal = quality.rows.find(
          (row) => row.bucketStart === null && row.promptVersionId === currentVersionId,
        );
        return {
          task: state.spec.task,
          labels: state.labels,
          kind: state.labels.length > 0 ? "classifier" : "generator",
          currentVersionId,
          versions,
          series: series.filter((row) => row.task === state.spec.task),
          current,
          mining: withReasonTags(state.miner?.result(options.ranking) ?? null, state.errorSample.items()),
          examples: splitExamples(state, holdoutFrom, options.holdoutFraction ?? 0.3),
          newEvents: state.newEvents,
          newLabelled,
          trigger: generator
            ? decideGeneratorTrigger(
                {
                  scored: qualityTotal?.scored ?? 0,
                  badTurns: qualityTotal?.badTurns ?? 0,
                  newScored: since === null ? null : state.newTurnsWithFeedback,
                },
                policy,
              )
            : decideTrigger({ current, newLabelled }, policy),
          sessions: generator
            ? {
                // A generator has no labels: its evidence is the sessions of its scored and bad turns.
                ...sessionContributions(quota, state.spec.task, currentVersionId, maxSessionShare),
                distinct: quality.currentSessions.scored,
                errorSessions: quality.currentSessions.bad,
              }
            : sessionContributions(quota, state.spec.task, currentVersionId, maxSessionShare),
          quality,
        };
      });
      return {
        tasks,
        interactions,
        feedbackEvents,
        window: { from, to },
        watermark: { previous: since, next: maxEventId ?? since },
      };
    },
  };
}

/** A label that did not count because its session had reached its share. */
const overQuota: GroundTruth = {
  gold: null,
  correct: null,
  source: "none",
  conflict: false,
  reason: "the session already holds its share of this version's labels (FEEDBACK_MAX_SESSION_SHARE)",
  userReasons: [],
  ignoredEvents: 0,
};

function sessionContributions(
  quota: SessionQuota,
  task: string,
  versionId: string | null,
  maxShare: number,
): SessionContributions {
  if (versionId === null)
    return { maxShare, distinct: 0, errorSessions: 0, capped: [], dominatedPatterns: [] };
  const group = sessionQuotaGroup({ task, promptVersionId: versionId });
  return {
    maxShare,
    distinct: quota.distinctSessions(group),
    errorSessions: quota.distinctErrorSessions(group),
    capped: quota.capped(group),
    dominatedPatterns: [],
  };
}

/** Adds to every mined pattern the reason tags of the sampled errors containing it. */
function withReasonTags(
  mining: ErrorMiningResult | null,
  errors: readonly LabelledExample[],
): ErrorMiningResult | null {
  if (mining === null) return null;
  return {
    ...mining,
    patterns: mining.patterns.map((pattern) => ({
      ...pattern,
      reasonTags: patternReasonTags(pattern, errors),
    })),
  };
}

/** The text of the latest reply_edit event (events are in id order), or null. */
function latestEdit(events: readonly InteractionWithFeedback["events"][number][]): string | null {
  let text: string | null = null;
  for (const event of events) if (event.type === "reply_edit") text = event.payload.text;
  return text;
}

function newestLabelEventId(item: InteractionWithFeedback): number {
  let newest = -Infinity;
  for (const event of item.events) {
    if ((event.type === "label_confirm" || event.type === "label_correct") && event.id > newest)
      newest = event.id;
  }
  return newest;
}

function splitExamples(state: TaskState, holdoutFrom: number | null, holdoutFraction: number): ExampleSplit {
  const sample = state.sample.items();
  const errors = state.errorSample.items();
  if (holdoutFrom !== null) {
    return {
      pool: mergeById(sample, errors),
      heldOut: splitAt(state.heldOutSample.items(), holdoutFrom).later,
      cutoff: holdoutFrom,
      miningIncludesHoldout: false,
    };
  }
  const split = splitByTime(sample, 1 - holdoutFraction);
  const earlierErrors =
    split.cutoff === null ? errors : errors.filter((example) => example.createdAt < split.cutoff!);
  return {
    pool: mergeById(split.earlier, earlierErrors),
    heldOut: split.later,
    cutoff: split.cutoff,
    miningIncludesHoldout: split.later.length > 0,
  };
}

/** Union by interaction id, oldest first (ties by id) so the order never depends on sampling order. */
function mergeById(first: readonly LabelledExample[], second: readonly LabelledExample[]): LabelledExample[] {
  const byId = new Map<string, LabelledExample>();
  for (const example of [...first, ...second]) byId.set(example.interactionId, example);
  return [...byId.values()].sort(
    (a, b) =>
      a.createdAt - b.createdAt ||
      (a.interactionId < b.interactionId ? -1 : a.interactionId > b.interactionId ? 1 : 0),
  );
}
