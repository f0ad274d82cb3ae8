import { randomUUID } from "node:crypto";
import { AppError } from "../../errors.js";
import { createVersionCache } from "../../prompts/version-cache.js";
import type { PromptRouter } from "../../tasks/prompt-router.js";
import type { PromptStore } from "../../prompts/store/prompt-store.js";
import { assignArm } from "../core/assign-arm.js";
import type { RolloutStore } from "../store/rollout-store.js";
import { activeVersionId } from "../../prompts/prompt-label.js";
import { findHoldback, holdbackArm } from "./holdback.js";

/** Dependencies of {@link createRolloutRouter}. */
export interface RolloutRouterDeps {
  prompts: PromptStore;
  rollouts: Pick<RolloutStore, "findOpenExperiment" | "listExperiments">;
  /**
   * A fresh random id for a request without a session: it is hashed like a session, so such requests spread
   * over the arms by the canary share, but are not sticky (there is nothing to stick to). Injected for tests.
   */
  randomUnit?: () => string;
}

/**
 * The router of a running service. Without an experiment a task is served by its `active` version. While an
 * experiment runs, each unit (the hashed session id) is assigned sticky to control (the active version) or the
 * candidate (the canary) by `assignArm` at the current stage's share, and the request records the experiment
 * and arm. Halted experiments, and labels that no longer match the experiment, serve the active version only.
 * After a promotion, while the replaced version is pending retirement, a holdback share of units keeps it
 * (recorded as the promoted experiment's `control` arm; the rest as `candidate`).
 *
 * Labels and the open experiment are read from the store on every request (two indexed lookups), with no cache
 * to invalidate: a promotion or rollback, made by this process or by the CLI on the same database, takes effect
 * on the very next request. Versions are immutable and cached by id.
 */
export function createRolloutRouter(deps: RolloutRouterDeps): PromptRouter {
  const versionById = createVersionCache(deps.prompts);
  const randomUnit = deps.randomUnit ?? randomUUID;
  return {
    async route(task, unitHash) {
      const labels = await deps.prompts.listLabels(task);
      const activeId = activeVersionId(labels, task);
      if (activeId === undefined)
        throw new AppError("TASK_NOT_FOUND", `Task ${task} has no active prompt version`);
      const experiment = await deps.rollouts.findOpenExperiment(task);
      const canary = labels.find((label) => label.label === "canary");
      const step = experiment?.policy.rampSteps[experiment.stageIndex];
      if (
        !experiment ||
        experiment.status !== "running" ||
        !step ||
        activeId !== experiment.controlVersionId ||
        canary?.versionId !== experiment.candidateVersionId
      ) {
        // No canary: after a promotion, a holdback share of units keeps the replaced version (holdback.ts).
        const holdback = experiment ? null : await findHoldback(deps.rollouts, labels, task);
        if (!holdback) return { version: await versionById(activeId), experimentId: null, arm: null };
        const arm = holdbackArm(holdback, unitHash ?? `random:${randomUnit()}`);
        const versionId = arm === "control" ? holdback.controlVersionId : holdback.candidateVersionId;
        return { version: await versionById(versionId), experimentId: holdback.experimentId, arm };
      }
      const arm = assignArm({
        experimentId: experiment.experimentId,
        unitHash: unitHash ?? `random:${randomUnit()}`,
        canaryShare: step.share,
        hashVersion: experiment.policy.hashVersion,
      });
      const versionId = arm === "candidate" ? experiment.candidateVersionId : experiment.controlVersionId;
      return { version: await versionById(versionId), experimentId: experiment.experimentId, arm };
    },
  };
}
