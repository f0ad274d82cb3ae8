import type { RolloutPolicy } from "../core/rollout-policy.js";
import type { ExperimentStatus } from "../core/rollout-state.js";
import type {
  Experiment,
  LabelMovePlan,
  RecordedAction,
  RolloutDecisionRecord,
} from "../store/rollout-store.js";

/** One persisted decision as the dashboard, the admin API and the CLI show it. */
export interface DecisionView {
  id: number;
  action: RecordedAction;
  reasonCode: string;
  reason: string;
  actor: string;
  decidedAt: string;
  stageIndex: number;
  /** Per-arm counts and the decision core's statistics (null for a start). */
  statistics: unknown;
  labelMoves: LabelMovePlan[];
}

/** An experiment with its latest decisions, newest first. */
export interface ExperimentView {
  id: string;
  task: string;
  /** The control version (the active one when the experiment started). */
  control: string;
  /** The candidate version (the canary). */
  candidate: string;
  status: ExperimentStatus;
  /** The candidate's share of units now: the stage's share while running, 1 once promoted (less a running holdback), 0 otherwise. */
  share: number;
  stageIndex: number;
  /** The ramp steps' shares, e.g. [0.1, 0.5, 1]. */
  rampShares: number[];
  startedAt: string;
  stageStartedAt: string;
  endedAt: string | null;
  startedBy: string;
  startReason: string;
  latencyThresholdMs: number | null;
  policy: RolloutPolicy;
  /**
   * The holdback after this experiment's promotion while it runs: `share` of units still on `version` (the replaced
   * one) until `until` (the end of the grace period), watched by the guardrails. Null otherwise.
   */
  holdback: { share: number; version: string; until: string } | null;
  /** How many decisions there are in all; `decisions` may hold only the latest. */
  decisionCount: number;
  decisions: DecisionView[];
}

/** The view of one experiment and (some of) its decisions, newest first. */
export function toExperimentView(
  experiment: Experiment,
  decisions: readonly RolloutDecisionRecord[],
  decisionCount: number,
  /** Whether this experiment's holdback is running (see holdback.ts findHoldback). */
  holdbackRunning = false,
): ExperimentView {
  const stageShare = experiment.policy.rampSteps[experiment.stageIndex]?.share ?? 0;
  const promotedShare = holdbackRunning ? 1 - (experiment.policy.holdbackShare ?? 0) : 1;
  const share =
    experiment.status === "running" ? stageShare : experiment.status === "promoted" ? promotedShare : 0;
  return {
    id: experiment.experimentId,
    task: experiment.task,
    control: experiment.controlVersionId,
    candidate: experiment.candidateVersionId,
    status: experiment.status,
    share,
    stageIndex: experiment.stageIndex,
    rampShares: experiment.policy.rampSteps.map((step) => step.share),
    startedAt: iso(experiment.startedAt),
    stageStartedAt: iso(experiment.stageStartedAt),
    endedAt: experiment.endedAt === null ? null : iso(experiment.endedAt),
    startedBy: experiment.startedBy,
    startReason: experiment.startReason,
    latencyThresholdMs: experiment.latencyThresholdMs,
    policy: experiment.policy,
    holdback:
      holdbackRunning && experiment.endedAt !== null
        ? {
            share: experiment.policy.holdbackShare ?? 0,
            version: experiment.controlVersionId,
            until: iso(experiment.endedAt + experiment.policy.retirementGracePeriodHours * 3_600_000),
          }
        : null,
    decisionCount,
    decisions: decisions.map((decision) => ({
      id: decision.id,
      action: decision.action,
      reasonCode: decision.reasonCode,
      reason: decision.reason,
      actor: decision.actor,
      decidedAt: iso(decision.decidedAt),
      stageIndex: decision.stageIndex,
      statistics: decision.statistics,
      labelMoves: decision.labelMoves,
    })),
  };
}

function iso(millis: number): string {
  return new Date(millis).toISOString();
}
