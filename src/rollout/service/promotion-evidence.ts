import { AppError } from "../../errors.js";
import type { Experiment } from "../store/rollout-store.js";
import { readStageStatistics, type StageStatisticsDeps } from "./stage-statistics.js";

/** What a promotion by hand rests on: the candidate's primary-metric trials in its experiment. */
export interface PromotionEvidence {
  experimentId: string | null;
  /** Labelled answers (classifiers) or scored turns (chat) of the candidate in the current stage. */
  trials: number;
  /** Trials a significance stage needs per arm (the experiment's policy). */
  required: number;
  /** True when an earlier stage of the experiment already passed (its test was met). */
  stagePassed: boolean;
}

/**
 * Reads the evidence behind promoting `versionId` by hand and refuses (409 EVIDENCE_INSUFFICIENT) when there is
 * none worth the name: no experiment, or a first stage whose candidate arm has fewer trials than the policy's
 * minimum. `force` (with the reason the caller records) lets an operator promote anyway.
 */
export async function checkPromotionEvidence(
  deps: StageStatisticsDeps,
  versionId: string,
  experiment: Experiment | null | undefined,
  now: number,
  force: boolean,
): Promise<PromotionEvidence> {
  const evidence = await readEvidence(deps, experiment, now);
  const enough =
    evidence.stagePassed || (evidence.experimentId !== null && evidence.trials >= evidence.required);
  if (!enough && !force) {
    const what =
      evidence.experimentId === null
        ? `${versionId} has no experiment`
        : `${versionId}'s experiment ${evidence.experimentId} has ${evidence.trials} of the ${evidence.required} ` +
          `labelled or scored answers a decision needs`;
    throw new AppError(
      "EVIDENCE_INSUFFICIENT",
      `${what}; promote without evidence only on purpose, with force and a reason`,
      { details: { ...evidence } },
    );
  }
  return evidence;
}

async function readEvidence(
  deps: StageStatisticsDeps,
  experiment: Experiment | null | undefined,
  now: number,
): Promise<PromotionEvidence> {
  if (!experiment) return { experimentId: null, trials: 0, required: 0, stagePassed: false };
  const required = experiment.policy.minimumLabelledPerArm;
  if (experiment.stageIndex > 0) {
    return { experimentId: experiment.experimentId, trials: 0, required, stagePassed: true };
  }
  const { arms } = await readStageStatistics(deps, experiment, now);
  const trials =
    experiment.policy.primaryMetric === "bad_turn_rate"
      ? (arms.candidate.scoredTurns ?? 0)
      : arms.candidate.labelled;
  return { experimentId: experiment.experimentId, trials, required, stagePassed: false };
}
