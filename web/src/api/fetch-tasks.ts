import { requestOk } from "./api-error.js";
import type { TaskInfo } from "./api-types.js";

/** GET /api/tasks: the tasks the UI may show, with their labels. */
export async function fetchTasks(fetchFn: typeof fetch, signal?: AbortSignal): Promise<TaskInfo[]> {
  const response = await requestOk(fetchFn, "/api/tasks", signal ? { signal } : {});
  const body: unknown = await response.json();
  return Array.isArray(body) ? (body as TaskInfo[]) : [];
}

/** The sentiment labels to offer when the task list is not (yet) available. */
export const fallbackLabels: readonly string[] = ["正面", "负面"];

/**
 * The labels of the task a prompt version belongs to (`<task>@<version>`), falling back to the
 * default sentiment labels, so a correction can always be offered.
 */
export function labelsForVersion(tasks: readonly TaskInfo[], promptVersion: string): readonly string[] {
  const task = promptVersion.split("@")[0];
  const labels = tasks.find((info) => info.task === task)?.labels;
  return labels && labels.length > 0 ? labels : fallbackLabels;
}
