import type { PromptDefinition } from "./prompt-definition.js";

/** Which prompt version serves one request, and under which experiment arm if a rollout is running. */
export interface RoutedPrompt {
  /** The version: its id (`<task>@<version>`) and its definition. */
  version: { id: string; definition: PromptDefinition };
  experimentId: string | null;
  arm: "control" | "candidate" | null;
}

/**
 * Chooses the version for a request; the task service's one view of the registry. The rollout's router serves
 * the task's `active` label, or splits traffic between control and candidate while an experiment runs. Labels are
 * read on every request, so a label move (promote, rollback) takes effect on the very next request.
 */
export interface PromptRouter {
  route(task: string, unitHash: string | null): Promise<RoutedPrompt>;
}
