/**
 * Where an experiment stands: `running` (the decision core acts on it), `halted` (stopped on a sample-ratio
 * mismatch, serving control only, until an operator acts), or finished (`promoted`, `rolled_back`).
 */
export type ExperimentStatus = "running" | "halted" | "promoted" | "rolled_back";

/** The persisted state of one rollout experiment. Times are epoch milliseconds. */
export interface RolloutState {
  experimentId: string;
  /** The task whose prompt is being replaced, e.g. `sentiment`. */
  task: string;
  /** The version serving the control arm (the task's `active` label when the experiment started). */
  controlVersionId: string;
  /** The version under test (the task's `canary` label). */
  candidateVersionId: string;
  /** Index into the policy's rampSteps of the stage running now; its share is the candidate's share. */
  stageIndex: number;
  /** When the experiment started. */
  startedAt: number;
  /** When the current stage started; all {@link ArmStatistics} count from here. */
  stageStartedAt: number;
  status: ExperimentStatus;
}

/**
 * What one arm saw during the current stage (since `stageStartedAt`): counts are nonnegative integers.
 * Counting per stage, not per experiment, keeps the expected split exact for the sample-ratio test and avoids the
 * bias of pooling stages that ran at different shares while the base rates drift (Simpson's paradox); each stage
 * must confirm the result on its own.
 */
export interface ArmStatistics {
  /**
   * Distinct units (user hash, else session hash) assigned to this arm: the sample-ratio input. Count units,
   * not requests: one user's requests are correlated, and heavy users alone would trip the chi-square test.
   */
  assignedUnits: number;
  /** Requests served with this arm's version, completed or failed. */
  requests: number;
  /** Of `requests`, those the engine failed (timeout, crash, output that would not parse). */
  engineErrors: number;
  /** Of the completed requests (requests − engineErrors), those slower than the stage's latency threshold. */
  slowRequests: number;
  /** Completed interactions with a correctness label from feedback (explicit right/wrong, a correction). */
  labelled: number;
  /** Of `labelled`, those that were wrong: the primary metric is errors / labelled. */
  errors: number;
  /** Interactions after which the user could have left, i.e. those that can show an exit. */
  exposures: number;
  /** Of `exposures`, those followed by an exit (the session ended abnormally right after). */
  exits: number;
  /** Interactions that received any explicit feedback. */
  feedbackEvents: number;
  /** Of `feedbackEvents`, the negative ones (thumbs down, correction, complaint). */
  negativeFeedback: number;
  /**
   * Completed turns with a fused quality score (any explicit or implicit signal; src/feedback). Absent = none:
   * the primary metric of a generator (`bad_turn_rate`) and the quality guardrail read these.
   */
  scoredTurns?: number;
  /** Of `scoredTurns`, the bad ones: score below the documented threshold, or rated ≤ 2. Absent = 0. */
  badTurns?: number;
  /** Predicted label → count over completed requests (classification tasks; `{}` for generative ones). */
  labelCounts: Readonly<Record<string, number>>;
}

/** Both arms of the current stage. */
export interface StageArms {
  control: ArmStatistics;
  candidate: ArmStatistics;
}
