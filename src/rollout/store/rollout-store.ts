import type { LabelMove, LabelMoveReasonParams } from "../../prompts/store/prompt-store.js";
import type { PlannedLabelMove } from "../core/plan-label-moves.js";
import type { RolloutAction } from "../core/rollout-decision.js";
import type { RolloutPolicy } from "../core/rollout-policy.js";
import type { ExperimentStatus, RolloutState } from "../core/rollout-state.js";

/**
 * A label move to apply and record: one the rollout core planned (PlannedLabelMove), or an operator's move such
 * as retiring a version by hand, whose reason codes the core does not know.
 */
export type LabelMovePlan = Omit<PlannedLabelMove, "reasonCode"> & { reasonCode: string };

/** A persisted rollout experiment: the decision core's state plus what the service needs around it. */
export interface Experiment extends RolloutState {
  /** The policy snapshotted at the start: later configuration changes never change a running experiment. */
  policy: RolloutPolicy;
  /**
   * The current stage's slow-request threshold (control's p95 latency before the stage), in ms; null when
   * control had too little history, and the stage's own control p95 is used instead.
   */
  latencyThresholdMs: number | null;
  /** Who started it: an operator (`cli:alice`, `api:admin`) or `analysis`. */
  startedBy: string;
  startReason: string;
  /** When it was promoted or rolled back; null while running or halted. */
  endedAt: number | null;
  updatedAt: number;
}

/** What a decision record's action can be: the decision core's actions, plus `start` for the experiment's start. */
export type RecordedAction = RolloutAction | "start";

/** One decision to persist: automatic (the decision core) or an operator's override. */
export interface NewRolloutDecision {
  experimentId: string;
  action: RecordedAction;
  /** A RolloutReasonCode, or `operator_override`, `started_by_operator`, `started_automatically`. */
  reasonCode: string;
  reason: string;
  /** JSON-serialisable: the per-arm counts and the decision core's statistics; null if nothing was measured. */
  statistics: unknown;
  stageIndex: number;
  actor: string;
  decidedAt: number;
}

/** A persisted decision with the label moves applied in the same transaction. */
export interface RolloutDecisionRecord extends NewRolloutDecision {
  id: number;
  labelMoves: LabelMovePlan[];
}

/** Fields of an experiment a decision changes. */
export type ExperimentChange = Partial<
  Pick<Experiment, "status" | "stageIndex" | "stageStartedAt" | "latencyThresholdMs" | "endedAt">
>;

/** Input of {@link RolloutStore.recordDecision}. */
export interface RecordDecisionInput {
  decision: NewRolloutDecision;
  /**
   * The experiment as the decision saw it. If its status or stage differs now (another process decided in
   * between), nothing is written and the store throws ROLLOUT_CONFLICT.
   */
  expected: Pick<Experiment, "status" | "stageIndex">;
  /** The experiment's new state; null leaves it as is (`continue`). */
  change: ExperimentChange | null;
  /** Label moves to apply with the decision; each must still find its `fromVersionId`, else ROLLOUT_CONFLICT. */
  moves: LabelMovePlan[];
  /** An operator's override: recorded with the moves beside the experiment's id (which the store adds). */
  moveParams?: Omit<LabelMoveReasonParams, "experimentId">;
}

/** Who moves labels outside an experiment's decision, the sentence recorded, and the facts behind its code. */
export interface LabelMovesMeta {
  actor: string;
  reason: string;
  now: number;
  params?: LabelMoveReasonParams;
}

/**
 * Durable rollout state: experiments, their decisions, and the label moves that go with them. Every write is
 * one transaction, so a request never sees a decision without its label moves (or the reverse), and state
 * survives restarts.
 */
export interface RolloutStore {
  /** Inserts the experiment, its `start` decision and the canary label move atomically. */
  startExperiment(
    experiment: Experiment,
    decision: NewRolloutDecision,
    moves: LabelMovePlan[],
    /** An operator's start: recorded with the moves beside the experiment's id. */
    moveParams?: Omit<LabelMoveReasonParams, "experimentId">,
  ): Promise<void>;
  getExperiment(id: string): Promise<Experiment | undefined>;
  /** The task's running or halted experiment (there is at most one). */
  findOpenExperiment(task: string): Promise<Experiment | undefined>;
  /** Newest first. */
  listExperiments(query?: { task?: string; statuses?: readonly ExperimentStatus[] }): Promise<Experiment[]>;
  recordDecision(input: RecordDecisionInput): Promise<RolloutDecisionRecord>;
  /** Newest first; `limit` caps how many. */
  listDecisions(experimentId: string, options?: { limit?: number }): Promise<RolloutDecisionRecord[]>;
  countDecisions(experimentId: string): Promise<number>;
  /** Label moves outside an experiment (manual promote without a canary, retire, the grace period). */
  applyLabelMoves(moves: LabelMovePlan[], meta: LabelMovesMeta): Promise<void>;
}

/** The reason recorded in the label move log: the move's own reason, then why it happened. */
export function labelMoveReason(move: LabelMovePlan, context: string): string {
  return `${move.reason} [${move.reasonCode}] ${context}`.trim();
}

/**
 * A planned move as the registry's label writer takes it: checked against `fromVersionId`, with its reason for people
 * and, for programs, its reason code with the facts behind it (`params`).
 */
export function labelMoveOf(move: LabelMovePlan, context: string, params?: LabelMoveReasonParams): LabelMove {
  return {
    task: move.task,
    label: move.label,
    fromVersionId: move.fromVersionId,
    toVersionId: move.toVersionId,
    reason: labelMoveReason(move, context),
    reasonCode: move.reasonCode,
    ...(params && { reasonParams: params }),
  };
}
