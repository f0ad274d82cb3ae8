import { resolveGroundTruth } from "../../analysis/core/resolve-ground-truth.js";
import { explicitFeedbackTypes } from "../../feedback/feedback-types.js";
import { createSessionQuota } from "../../analysis/core/session-quota.js";
import type { Arm } from "../core/assign-arm.js";
import type { ArmStatistics, StageArms } from "../core/rollout-state.js";
import type { InteractionWithFeedback } from "../../feedback/store/interaction-store.js";
import { toAnalysisItem } from "../../analysis/job/to-analysis-item.js";
import { fusedQualityScore, isBadTurn } from "../../analysis/core/quality/quality-score.js";
import {
  readTurnSignals,
  type FollowUpKind,
  type TurnSignals,
} from "../../analysis/core/quality/turn-signals.js";

/** Options of {@link createArmStatisticsAccumulator}. */
export interface ArmStatisticsOptions {
  /** Each serving version's labels (classifiers); undefined for a generator. Ground truth is judged against them. */
  labelsByVersion: ReadonlyMap<string, readonly string[] | undefined>;
  /**
   * Requests slower than this (ms) count as slow: control's p95 before the stage. Null: use control's p95 within
   * the stage itself, which keeps control near 5% slow by construction and still shows a slower candidate.
   */
  latencyThresholdMs: number | null;
  /**
   * FEEDBACK_MAX_SESSION_SHARE: the largest share of an arm's judged interactions (labels, ratings, edits), and
   * of its exits, one session may hold; its feedback beyond that is not counted (createSessionQuota). Default 1.
   */
  maxSessionShare?: number;
}

/** Where the slow-request threshold came from. */
export type LatencyThresholdSource = "before_stage" | "control_in_stage" | "none";

/** The counts of both arms, and the latency threshold they were judged by. */
export interface StageArmsResult {
  arms: StageArms;
  latencyThresholdMs: number | null;
  latencyThresholdSource: LatencyThresholdSource;
}

/** Folds one stage's interactions into {@link StageArms} for the decision core, one interaction at a time. */
export interface ArmStatisticsAccumulator {
  /**
   * Adds one interaction of the experiment; its `arm` says which side it counts for (others are ignored).
   * `followUp` is the kind of the follow-up recorded on it, judged by the session's next turn (turn-linker.ts).
   */
  add(item: InteractionWithFeedback, followUp?: FollowUpKind | null): void;
  /**
   * Notes an exit after interaction `id` seen on a follow-up: the reply of an all-in-one turn is the last thing
   * the user saw, so an exit recorded on it also ends the classification it answered. Order does not matter.
   */
  addExit(interactionId: string): void;
  result(): StageArmsResult;
}

interface ArmCounts extends Omit<
  ArmStatistics,
  "assignedUnits" | "slowRequests" | "exits" | "labelCounts" | "scoredTurns" | "badTurns"
> {
  units: Set<string>;
  latencies: number[];
  labelCounts: Record<string, number>;
}

const emptyCounts = (): ArmCounts => ({
  units: new Set(),
  requests: 0,
  engineErrors: 0,
  latencies: [],
  labelled: 0,
  errors: 0,
  exposures: 0,
  feedbackEvents: 0,
  negativeFeedback: 0,
  labelCounts: {},
});

/**
 * Counts, per arm, what the decision core needs (pure: no I/O, no clock):
 * - units: distinct session hashes (a request without a session is its own unit);
 * - requests: completed or failed (`ok` or `error`); cancelled ones are the client's doing and not counted;
 * - labelled / errors: resolveGroundTruth over the label feedback, against the serving version's labels;
 * - exposures: completed requests; exits: those with an exit on them or on a follow-up interaction;
 * - feedbackEvents: interactions with explicit feedback; negative: judged wrong (classifiers), or rated ≤ 2 or
 *   edited, or their answer judged wrong (generators);
 * - slowRequests: completed requests slower than the latency threshold;
 * - scoredTurns / badTurns: completed requests with a fused quality score (prior weights, src/analysis/core/quality)
 *   and, of those, the bad ones (rated ≤ 2 or scored below 0.4); an exit credited through a reply counts in the score.
 */
export function createArmStatisticsAccumulator(options: ArmStatisticsOptions): ArmStatisticsAccumulator {
  const counts: Record<Arm, ArmCounts> = { control: emptyCounts(), candidate: emptyCounts() };
  // One session's share of an arm's judged interactions, and apart from that of its exits.
  const quota = createSessionQuota(options.maxSessionShare ?? 1);
  const exitQuota = createSessionQuota(options.maxSessionShare ?? 1);
  const exposureArm = new Map<string, Arm>();
  const exited = new Set<string>();
  // Scored in result(), once every exit credited through a follow-up interaction is known.
  const turnSignals = new Map<string, TurnSignals>();

  return {
    add(item, followUp = null) {
      const { interaction, events } = item;
      const arm = interaction.arm;
      if (arm !== "control" && arm !== "candidate") return;
      if (interaction.status === "cancelled") return;
      const tally = counts[arm];
      tally.units.add(interaction.sessionHash ?? `interaction:${interaction.id}`);
      tally.requests += 1;
      if (interaction.status === "error") {
        tally.engineErrors += 1;
        return;
      }
      tally.exposures += 1;
      exposureArm.set(interaction.id, arm);
      if (interaction.latencyMs !== null) tally.latencies.push(interaction.latencyMs);
      if (interaction.label !== null) {
        tally.labelCounts[interaction.label] = (tally.labelCounts[interaction.label] ?? 0) + 1;
      }
      if (events.some((event) => event.type === "exit") && exitQuota.admit(arm, interaction.sessionHash))
        exited.add(interaction.id);
      const labels = options.labelsByVersion.get(interaction.promptVersionId);
      const explicit = events.some((event) => explicitFeedbackTypes.has(event.type));
      // A session past its share of the arm's judged interactions is heard no more in this stage.
      if (explicit && !quota.admit(arm, interaction.sessionHash)) return;
      turnSignals.set(interaction.id, readTurnSignals({ output: interaction.output, events }, followUp));
      const truth = resolveGroundTruth(toAnalysisItem(item), labels);
      if (truth.correct !== null) {
        tally.labelled += 1;
        if (!truth.correct) tally.errors += 1;
      }
      if (explicit) {
        tally.feedbackEvents += 1;
        if (labels ? truth.correct === false : isNegativeReplyFeedback(item)) tally.negativeFeedback += 1;
      }
    },

    addExit(interactionId) {
      exited.add(interactionId);
    },

    result() {
      const beforeStage = options.latencyThresholdMs;
      const inStage = percentile(counts.control.latencies, 0.95);
      const threshold = beforeStage ?? inStage;
      const exits: Record<Arm, number> = { control: 0, candidate: 0 };
      for (const id of exited) {
        const arm = exposureArm.get(id);
        if (arm) exits[arm] += 1;
      }
      const scored: Record<Arm, { scoredTurns: number; badTurns: number }> = {
        control: { scoredTurns: 0, badTurns: 0 },
        candidate: { scoredTurns: 0, badTurns: 0 },
      };
      for (const [id, signals] of turnSignals) {
        const arm = exposureArm.get(id)!;
        const withExit = exited.has(id) ? { ...signals, exited: true } : signals;
        const score = fusedQualityScore(withExit);
        if (score === null) continue;
        scored[arm].scoredTurns += 1;
        if (isBadTurn(withExit, score)) scored[arm].badTurns += 1;
      }
      const finish = (arm: Arm): ArmStatistics => {
        const { units, latencies, ...rest } = counts[arm];
        return {
          ...rest,
          assignedUnits: units.size,
          exits: exits[arm],
          ...scored[arm],
          slowRequests: threshold === null ? 0 : latencies.filter((ms) => ms > threshold).length,
        };
      };
      return {
        arms: { control: finish("control"), candidate: finish("candidate") },
        latencyThresholdMs: threshold,
        latencyThresholdSource:
          beforeStage !== null ? "before_stage" : inStage !== null ? "control_in_stage" : "none",
      };
    },
  };
}

/** The nearest-rank percentile (p in (0, 1]) of the values, or null without values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function isNegativeReplyFeedback({ events }: InteractionWithFeedback): boolean {
  const ratings = events.filter((event) => event.type === "rating");
  const latestScore = ratings.at(-1)?.payload.score;
  const latestAnswerCheck = events.filter((event) => event.type === "answer_correct").at(-1);
  return (
    events.some((event) => event.type === "reply_edit") ||
    latestAnswerCheck?.payload.correct === false ||
    (typeof latestScore === "number" && latestScore <= 2)
  );
}
