import { AppError } from "../../errors.js";
import type { RolloutPolicy } from "./rollout-policy.js";
import type { ArmStatistics, RolloutState, StageArms } from "./rollout-state.js";

const countFields = [
  "assignedUnits",
  "requests",
  "engineErrors",
  "slowRequests",
  "labelled",
  "errors",
  "exposures",
  "exits",
  "feedbackEvents",
  "negativeFeedback",
] as const satisfies readonly (keyof ArmStatistics)[];

/**
 * Throws AppError VALIDATION_FAILED when the state or counts cannot be right (a part larger than its whole,
 * a stage starting before the experiment, a clock behind the stage). Garbage in would otherwise come out as a
 * confident-looking decision.
 */
export function validateRolloutInput(
  state: RolloutState,
  arms: StageArms,
  policy: RolloutPolicy,
  now: number,
): void {
  const problems: string[] = [];
  const step = policy.rampSteps[state.stageIndex];
  if (!Number.isInteger(state.stageIndex) || !step)
    problems.push(`stageIndex ${state.stageIndex} is not a ramp step`);
  else if (step.share >= 1)
    problems.push(`stage ${state.stageIndex} has share 1: the candidate is already promoted`);
  for (const [name, time] of [
    ["startedAt", state.startedAt],
    ["stageStartedAt", state.stageStartedAt],
    ["now", now],
  ] as const) {
    if (!Number.isFinite(time)) problems.push(`${name} must be a finite epoch-millisecond time`);
  }
  if (state.stageStartedAt < state.startedAt) problems.push("stageStartedAt is before startedAt");
  if (now < state.stageStartedAt) problems.push("now is before stageStartedAt");
  for (const arm of ["control", "candidate"] as const) checkArm(problems, arm, arms[arm]);
  if (problems.length > 0) {
    throw new AppError("VALIDATION_FAILED", `Invalid rollout input: ${problems.join("; ")}`, {
      details: { problems },
    });
  }
}

function checkArm(problems: string[], arm: string, statistics: ArmStatistics): void {
  for (const field of countFields) {
    const value = statistics[field];
    if (!(Number.isInteger(value) && value >= 0))
      problems.push(`${arm}.${field} must be a nonnegative integer`);
  }
  const partOf = (part: keyof ArmStatistics, whole: string, wholeValue: number) => {
    if (((statistics[part] as number | undefined) ?? 0) > wholeValue)
      problems.push(`${arm}.${part} exceeds ${arm}.${whole}`);
  };
  partOf("engineErrors", "requests", statistics.requests);
  partOf("slowRequests", "requests − engineErrors", statistics.requests - statistics.engineErrors);
  partOf("errors", "labelled", statistics.labelled);
  partOf("exits", "exposures", statistics.exposures);
  partOf("negativeFeedback", "feedbackEvents", statistics.feedbackEvents);
  for (const field of ["scoredTurns", "badTurns"] as const) {
    const value = statistics[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0))
      problems.push(`${arm}.${field} must be a nonnegative integer`);
  }
  partOf("scoredTurns", "requests − engineErrors", statistics.requests - statistics.engineErrors);
  partOf("badTurns", "scoredTurns", statistics.scoredTurns ?? 0);
  for (const [label, count] of Object.entries(statistics.labelCounts)) {
    if (!(Number.isInteger(count) && count >= 0))
      problems.push(`${arm}.labelCounts[${label}] must be a nonnegative integer`);
  }
}
