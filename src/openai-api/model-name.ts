import { AppError } from "../errors.js";

/** The prefix of every model name this API serves: `promptloop/<task>` or `promptloop/<task>@<version>`. */
export const modelPrefix = "promptloop/";

/** What a model name asks for: a task (its routed version), or one version of it. */
export interface ModelChoice {
  task: string;
  /** `<task>@<version>` when the name pins a version. */
  versionId?: string;
}

const namePattern = /^promptloop\/([A-Za-z0-9_-]{1,64})(?:@([A-Za-z0-9._-]{1,64}))?$/;

/**
 * Pure: reads a model name. `promptloop/chat` serves the task as /api/chat does (its active version, or an
 * experiment's arm); `promptloop/chat@v2` always serves version v2 of it, outside any experiment.
 */
export function parseModelName(model: string): ModelChoice {
  const match = namePattern.exec(model);
  if (!match) {
    throw new AppError(
      "TASK_NOT_FOUND",
      `The model '${model}' does not exist: use promptloop/<task> or promptloop/<task>@<version> (GET /v1/models lists them)`,
    );
  }
  const task = match[1]!;
  return match[2] === undefined ? { task } : { task, versionId: `${task}@${match[2]}` };
}

/** The model name of a task, or of one of its versions. */
export const modelNameOf = (taskOrVersionId: string) => `${modelPrefix}${taskOrVersionId}`;
