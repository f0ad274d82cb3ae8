import { AppError } from "../../errors.js";
import type { PromptLabel, RecordedLabelMove } from "../../prompts/store/prompt-store.js";
import { deriveVersionStatuses, statusOfVersion } from "../../prompts/registry-version-status.js";
import type { LabelMovePlan } from "../store/rollout-store.js";

/** Input of {@link planRetirement}. */
export interface PlanRetirementOptions {
  task: string;
  versionId: string;
  /** The task's labels now. */
  labels: readonly PromptLabel[];
  /** The task's move log (to know whether the version is already retired). */
  moves: readonly RecordedLabelMove[];
}

/**
 * The label moves that retire a version by hand (pure). A version pending retirement is retired before its grace
 * period ends; a draft (never used, or unlabelled) is retired so nobody starts it by mistake. The active version
 * and the canary cannot be retired this way (promote another version, or roll the canary back): a task must
 * always have an active version, and a canary ends through its experiment.
 */
export function planRetirement(options: PlanRetirementOptions): LabelMovePlan[] {
  const { task, versionId, labels } = options;
  const status = statusOfVersion(deriveVersionStatuses(labels, options.moves), versionId).status;
  const retiredPointer = labels.find((label) => label.label === "retired")?.versionId ?? null;
  const retire: LabelMovePlan = {
    task,
    label: "retired",
    fromVersionId: retiredPointer,
    toVersionId: versionId,
    reasonCode: "retired_by_operator",
    reason: `${versionId} retired by hand.`,
  };
  switch (status) {
    case "active":
      throw conflict(`${versionId} is the active version of ${task}: promote another version first`);
    case "canary":
      throw conflict(`${versionId} is the canary of ${task}: roll it back instead`);
    case "retired":
      throw conflict(`${versionId} is already retired`);
    case "pending_retirement":
      return [
        retire,
        {
          task,
          label: "pending_retirement",
          fromVersionId: versionId,
          toVersionId: null,
          reasonCode: "retired_by_operator",
          reason: `${versionId} left pending retirement early.`,
        },
      ];
    case "draft":
      return [retire];
  }
}

function conflict(message: string): AppError {
  return new AppError("ROLLOUT_CONFLICT", message);
}
