/**
 * The holdback after a promotion: for the retirement grace period a small sticky share of units (policy
 * `holdbackShare`, default 5%) keeps the replaced version, and every look compares the two with the guardrails
 * (exit rate, quality score, error rate, …). A significant degradation reverts the promotion on its own, to the
 * version that is still pending retirement: 退出率异常上升时立即回滚, after the switch as before it.
 */
import type { PromptLabel } from "../../prompts/store/prompt-store.js";
import { activeVersionId } from "../../prompts/prompt-label.js";
import { assignArm, type Arm } from "../core/assign-arm.js";
import { describeDegradation } from "../core/describe-decision.js";
import { evaluateGuardrails } from "../core/evaluate-guardrails.js";
import type { HoldbackLook } from "./evaluation-report.js";
import { withLegacyDefaults } from "../core/rollout-policy.js";
import type { Experiment, RolloutStore } from "../store/rollout-store.js";
import { planMoves, type RolloutEvaluationDeps } from "./evaluate-experiment.js";
import { readStageStatistics } from "./stage-statistics.js";

/**
 * The promoted experiment whose holdback is running for `task`, or null: the task's latest promotion, while its
 * candidate is active and its control still pending retirement, with a holdback share above 0.
 */
export async function findHoldback(
  rollouts: Pick<RolloutStore, "listExperiments">,
  labels: readonly PromptLabel[],
  task: string,
): Promise<Experiment | null> {
  const pending = labels.find((label) => label.task === task && label.label === "pending_retirement");
  if (!pending) return null;
  const [promoted] = await rollouts.listExperiments({ task, statuses: ["promoted"] });
  if (
    !promoted ||
    promoted.endedAt === null ||
    (promoted.policy.holdbackShare ?? 0) <= 0 ||
    activeVersionId(labels, task) !== promoted.candidateVersionId ||
    pending.versionId !== promoted.controlVersionId
  ) {
    return null;
  }
  return promoted;
}

/**
 * The holdback arm of a unit: `control` (the replaced version) for the holdback share, sticky per unit; the hash
 * is salted apart from the canary's, so the holdback is a fresh sample of units.
 */
export function holdbackArm(experiment: Experiment, unitHash: string): Arm {
  const held = assignArm({
    experimentId: `${experiment.experimentId}/holdback`,
    unitHash,
    canaryShare: experiment.policy.holdbackShare ?? 0,
    hashVersion: experiment.policy.hashVersion,
  });
  return held === "candidate" ? "control" : "candidate";
}

/**
 * Compares the promoted version with the holdback since the promotion; on a degraded guardrail, reverts the
 * promotion (label moves and a recorded decision in one transaction). A clean look is not recorded.
 */
export async function watchHoldback(
  deps: RolloutEvaluationDeps,
  experiment: Experiment,
  now: number,
  actor: string,
): Promise<HoldbackLook> {
  const since = experiment.endedAt!;
  const stage = await readStageStatistics(deps, { ...experiment, stageStartedAt: since }, now);
  const policy = withLegacyDefaults(experiment.policy);
  const guardrails = evaluateGuardrails(stage.arms, policy);
  const degraded = guardrails.filter((result) => result.status === "degraded");
  const base = {
    experimentId: experiment.experimentId,
    task: experiment.task,
    candidate: experiment.candidateVersionId,
    guardrails,
  };
  const share = `${Math.round((policy.holdbackShare ?? 0) * 100)}%`;
  if (degraded.length === 0) {
    return {
      ...base,
      action: "continue",
      reasonCode: "holdback_clean",
      reason:
        `${experiment.candidateVersionId} against the ${share} holdback on ${experiment.controlVersionId} ` +
        `since the promotion: no guardrail degraded`,
    };
  }
  const reason =
    `${experiment.candidateVersionId} degraded against the ${share} holdback on ${experiment.controlVersionId} ` +
    `after its promotion (${degraded.map(describeDegradation).join("; ")}): reverted to ${experiment.controlVersionId}`;
  const moves = await planMoves(
    deps.prompts,
    experiment.task,
    { kind: "rollback", candidateVersionId: experiment.candidateVersionId },
    policy,
    now,
  );
  await deps.rollouts.recordDecision({
    decision: {
      experimentId: experiment.experimentId,
      action: "rollback",
      reasonCode: "holdback_degraded",
      reason,
      statistics: {
        holdback: true,
        since: new Date(since).toISOString(),
        arms: stage.arms,
        latencyThresholdMs: stage.latencyThresholdMs,
        latencyThresholdSource: stage.latencyThresholdSource,
        degradedGuardrails: degraded.map((result) => result.name),
        guardrails,
      },
      stageIndex: experiment.stageIndex,
      actor,
      decidedAt: now,
    },
    expected: experiment,
    change: { status: "rolled_back", endedAt: now },
    moves,
  });
  return { ...base, action: "rollback", reasonCode: "holdback_degraded", reason };
}
