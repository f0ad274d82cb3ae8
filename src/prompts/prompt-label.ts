import { AppError } from "../errors.js";

/**
 * The labels a task's versions can carry. A label points at one version per task and moves between versions;
 * `active` is the one served, `canary` the candidate of a running experiment, `pending_retirement` the previous
 * active version during its grace period, `retired` the versions taken out of service.
 */
export const promptLabelNames = ["active", "canary", "pending_retirement", "retired"] as const;
export type PromptLabelName = (typeof promptLabelNames)[number];

export function isPromptLabelName(value: string): value is PromptLabelName {
  return (promptLabelNames as readonly string[]).includes(value);
}

/** A label read from storage; anything else there means the data was changed outside the service. */
export function parsePromptLabelName(value: string): PromptLabelName {
  if (isPromptLabelName(value)) return value;
  throw new AppError("STORAGE_FAILED", `The registry holds an unknown label "${value}"`);
}

/** The version a task's `active` label points at: the one helper for "which version serves this task". */
export function activeVersionId(
  labels: readonly { task: string; label: string; versionId: string }[],
  task: string,
): string | undefined {
  return labels.find((entry) => entry.task === task && entry.label === "active")?.versionId;
}
