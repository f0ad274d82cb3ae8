import type { PromptDefinition } from "./prompt-definition.js";

/** A stored prompt version as the tasks feature sees it: its id (`<task>@<version>`) and its definition. */
export interface TaskVersion {
  id: string;
  definition: PromptDefinition;
}

/**
 * The tasks feature's view of the registry (a port; prompts/task-directory-from-store.ts implements it): which
 * tasks are served, by which active version. Read on every call, so a task imported at run time is served at once.
 */
export interface TaskDirectory {
  /** The active version of every served task. */
  activeVersions(): Promise<TaskVersion[]>;
  /** One task's active version; undefined when the task has none. */
  activeVersion(task: string): Promise<TaskVersion | undefined>;
  /** Any version by id (PROMPT_VERSION_NOT_FOUND when there is none). */
  versionById(id: string): Promise<TaskVersion>;
}
