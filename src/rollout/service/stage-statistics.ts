import type { PromptStore } from "../../prompts/store/prompt-store.js";
import type { InteractionStore, InteractionWithFeedback } from "../../feedback/store/interaction-store.js";
import { createArmStatisticsAccumulator, percentile, type StageArmsResult } from "./arm-statistics.js";
import type { Experiment } from "../store/rollout-store.js";
import { createTurnLinker } from "../../analysis/core/quality/turn-linker.js";

interface LinkedItem {
  item: InteractionWithFeedback;
  task: string;
  sessionHash: string | null;
  input: string;
  hasFollowUp: boolean;
  createdAt: number;
}

/** Where the stage statistics are read from. */
export interface StageStatisticsDeps {
  interactions: InteractionStore;
  prompts: PromptStore;
  /** FEEDBACK_MAX_SESSION_SHARE (see ArmStatisticsOptions); default 1. */
  maxSessionShare?: number;
}

/**
 * Counts the current stage of an experiment: every interaction the experiment served since the stage started
 * (up to `now`), with its feedback, plus exits recorded on follow-up interactions (replies) of those.
 * Streams, so memory stays bounded by the stage's interaction ids, not their texts.
 */
export async function readStageStatistics(
  deps: StageStatisticsDeps,
  experiment: Experiment,
  now: number,
): Promise<StageArmsResult> {
  const labelsByVersion = new Map<string, readonly string[] | undefined>();
  for (const id of [experiment.controlVersionId, experiment.candidateVersionId]) {
    labelsByVersion.set(id, (await deps.prompts.getVersion(id))?.definition.labels);
  }
  const accumulator = createArmStatisticsAccumulator({
    labelsByVersion,
    latencyThresholdMs: experiment.latencyThresholdMs,
    ...(deps.maxSessionShare !== undefined && { maxSessionShare: deps.maxSessionShare }),
  });
  // A follow-up is judged by the session's next turn of the task, so each turn waits for it (or the end).
  const linker = createTurnLinker<LinkedItem>();
  const addLinked = (linked: ReturnType<typeof linker.finish>) => {
    for (const { turn, followUp } of linked) accumulator.add(turn.item, followUp);
  };
  for await (const item of deps.interactions.streamWithFeedback({
    since: experiment.stageStartedAt,
    until: now + 1,
  })) {
    const { interaction, events } = item;
    if (interaction.experimentId === experiment.experimentId) {
      addLinked(
        linker.add({
          item,
          task: interaction.task,
          sessionHash: interaction.sessionHash,
          input: interaction.input,
          hasFollowUp: events.some((event) => event.type === "follow_up"),
          createdAt: interaction.createdAt,
        }),
      );
    }
    if (interaction.parentId !== null && events.some((event) => event.type === "exit")) {
      accumulator.addExit(interaction.parentId);
    }
  }
  addLinked(linker.finish());
  return accumulator.result();
}

/** Options of {@link controlLatencyThreshold}. */
export interface LatencyThresholdOptions {
  task: string;
  controlVersionId: string;
  /** The stage's start: only latencies from before it count. */
  before: number;
  /** How far back to look (default 7 days). */
  windowMs?: number;
  /** Fewer completed requests than this give no threshold (default 20): a p95 of a handful is noise. */
  minimumSamples?: number;
}

/** Control's p95 latency over its completed requests in the window before a stage, or null if too few. */
export async function controlLatencyThreshold(
  interactions: InteractionStore,
  options: LatencyThresholdOptions,
): Promise<number | null> {
  const windowMs = options.windowMs ?? 7 * 86_400_000;
  const latencies: number[] = [];
  for await (const { interaction } of interactions.streamWithFeedback({
    task: options.task,
    promptVersionId: options.controlVersionId,
    since: options.before - windowMs,
    until: options.before,
  })) {
    if (interaction.status === "ok" && interaction.latencyMs !== null) latencies.push(interaction.latencyMs);
  }
  return latencies.length >= (options.minimumSamples ?? 20) ? percentile(latencies, 0.95) : null;
}
