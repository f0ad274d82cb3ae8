import type { TaskDirectory } from "../tasks/task-directory.js";
import type { PromptStore } from "./store/prompt-store.js";
import { createVersionCache } from "./version-cache.js";

/** The registry as the tasks feature's TaskDirectory: tasks are served by their `active` label. */
export function createTaskDirectory(store: PromptStore): TaskDirectory {
  const versionById = createVersionCache(store);
  return {
    async activeVersions() {
      const active = (await store.listLabels()).filter((label) => label.label === "active");
      return Promise.all(active.map((label) => versionById(label.versionId)));
    },
    async activeVersion(task) {
      const active = (await store.listLabels(task)).find((label) => label.label === "active");
      return active && versionById(active.versionId);
    },
    versionById,
  };
}
