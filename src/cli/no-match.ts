import { AppError } from "../errors.js";
import type { PromptStore } from "../prompts/store/prompt-store.js";

/** The tasks the registry knows, sorted: what a `--task` filter can match. */
export async function knownTasks(prompts: PromptStore): Promise<string[]> {
  const versions = await prompts.listVersions();
  return [...new Set(versions.map((version) => version.definition.task))].sort();
}

/**
 * NO_MATCH (exit 5) for a `--task` the registry doesn't know, naming the tasks it does: a typo must not read as
 * "nothing there".
 */
export async function assertKnownTask(prompts: PromptStore, task: string | undefined): Promise<void> {
  if (task === undefined) return;
  const tasks = await knownTasks(prompts);
  if (!tasks.includes(task)) {
    throw new AppError(
      "NO_MATCH",
      `--task ${task} matches no task; the registry has: ${tasks.join(", ") || "(none)"}`,
      { details: { filter: "task", value: task, known: tasks } },
    );
  }
}

/** NO_MATCH when filters were given and nothing matched them. `filters` describes them, e.g. "--since 2026-12-01". */
export function assertMatched(count: number, filters: string[], what: string): void {
  if (count === 0 && filters.length > 0) {
    throw new AppError("NO_MATCH", `no ${what} match ${filters.join(" ")}`, { details: { filters } });
  }
}
