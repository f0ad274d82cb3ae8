import type { PromptStore } from "../../prompts/store/prompt-store.js";
import { decideRollout } from "../core/decide-rollout.js";
import { planLabelMoves, type LabelEvent, type PlannedLabelMove } from "../core/plan-label-moves.js";
import type { RolloutPolicy } from "../core/rollout-policy.js";
import type { InteractionStore } from "../../feedback/store/interaction-store.js";
import type { EvaluationReport } from "./evaluation-report.js";
import { controlLatencyThreshold, readStageStatistics } from "./stage-statistics.js";
import type { Experiment, ExperimentChange, RolloutStore } from "../store/rollout-store.js";

/** What a look needs. */
export interface RolloutEvaluationDeps {
  prompts: PromptStore;
  rollouts: RolloutStore;
  interactions: InteractionStore;
  /** The configured policy, for retiring versions promoted without an experiment. */
  policy: RolloutPolicy;
}

/** The label moves an event implies for a task now (the pure planner over the task's current labels). */
export async function planMoves(
  prompts: PromptStore,
  task: string,
  event: LabelEvent,
  policy: RolloutPolicy,
  now: number,
): Promise<PlannedLabelMove[]> {
  return planLabelMoves({
    task,
    labels: await prompts.listLabels(task),
    event,
    now,
    gracePeriodHours: policy.retirementGracePeriodHours,
  });
}

/**
 * One look at a running experiment: counts its stage, asks the pure decision core, and records the decision
 * with what it implies (next stage, end state, label moves) in one transaction.
 */
export async function evaluateExperiment(
  deps: RolloutEvaluationDeps,
  experiment: Experiment,
  now: number,
  actor: string,
): Promise<EvaluationReport["decisions"][number]> {
  const stage = await readStageStatistics(deps, experiment, now);
  const decision = decideRollout({ state: experiment, arms: stage.arms, policy: experiment.policy, now });
  let change: ExperimentChange | null = null;
  let moves: PlannedLabelMove[] = [];
  const candidateVersionId = experiment.candidateVersionId;
  if (decision.action === "ramp" && decision.nextStage) {
    change = {
      stageIndex: decision.nextStage.index,
      stageStartedAt: now,
      latencyThresholdMs: await controlLatencyThreshold(deps.interactions, {
        task: experiment.task,
        controlVersionId: experiment.controlVersionId,
        before: now,
      }),
    };
  } else if (decision.action === "promote" || decision.action === "rollback") {
    change = { status: decision.action === "promote" ? "promoted" : "rolled_back", endedAt: now };
    moves = await planMoves(
      deps.prompts,
      experiment.task,
      { kind: decision.action, candidateVersionId },
      experiment.policy,
      now,
    );
  } else if (decision.action === "halt") {
    change = { status: "halted" };
  }
  await deps.rollouts.recordDecision({
    decision: {
      experimentId: experiment.experimentId,
      action: decision.action,
      reasonCode: decision.reasonCode,
      reason: decision.reason,
      statistics: {
        arms: stage.arms,
        latencyThresholdMs: stage.latencyThresholdMs,
        latencyThresholdSource: stage.latencyThresholdSource,
        nextStage: decision.nextStage,
        degradedGuardrails: decision.degradedGuardrails,
        ...decision.statistics,
      },
      stageIndex: experiment.stageIndex,
      actor,
      decidedAt: now,
    },
    expected: experiment,
    change,
    moves,
  });
  return {
    experimentId: experiment.experimentId,
    task: experiment.task,
    candidate: candidateVersionId,
    action: decision.action,
    reasonCode: decision.reasonCode,
    reason: decision.reason,
  };
}

/**
 * Retires every version whose `pending_retirement` outlived the grace period of the policy its promotion ran
 * under (the configured policy when it was promoted by hand without an experiment). Returns their ids.
 */
export async function retireExpiredVersions(deps: RolloutEvaluationDeps, now: number): Promise<string[]> {
  const retired: string[] = [];
  const pending = (await deps.prompts.listLabels()).filter((label) => label.label === "pending_retirement");
  for (const { task } of pending) {
    const [lastPromotion] = await deps.rollouts.listExperiments({ task, statuses: ["promoted"] });
    const policy = lastPromotion?.policy ?? deps.policy;
    const moves = await planMoves(deps.prompts, task, { kind: "retire_expired" }, policy, now);
    if (moves.length === 0) continue;
    await deps.rollouts.applyLabelMoves(moves, { actor: "scheduler", reason: "(grace period over)", now });
    retired.push(...moves.filter((m) => m.label === "retired").map((m) => m.toVersionId!));
  }
  return retired;
}
