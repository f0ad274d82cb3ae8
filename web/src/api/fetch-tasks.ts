import { requestOk } from "./api-error.js";
import type { TaskInfo } from "./api-types.js";

/** GET /api/tasks: the served tasks with their kind, labels and feedback widgets. */
export async function fetchTasks(fetchFn: typeof fetch, signal?: AbortSignal): Promise<TaskInfo[]> {
  const response = await requestOk(fetchFn, "/api/tasks", signal ? { signal } : {});
  const body: unknown = await response.json();
  return Array.isArray(body) ? (body as TaskInfo[]) : [];
}

/** The sentiment labels a correction offers when neither the answer nor the task list names any. */
export const fallbackLabels: readonly string[] = ["正面", "负面"];
