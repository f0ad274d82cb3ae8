import { AppError } from "../errors.js";
import type { PromptStore, PromptVersion } from "./store/prompt-store.js";

/** Which prompt version serves one request, and under which experiment arm if a rollout is running. */
export interface RoutedPrompt {
  version: PromptVersion;
  experimentId: string | null;
  arm: "control" | "candidate" | null;
}

/**
 * Chooses the version for a request. The default serves the task's `active` label; the rollout service supplies
 * a router that splits traffic between control and candidate. Labels are read on every request, so a label move
 * (promote, rollback) takes effect on the very next request without a restart.
 */
export interface PromptRouter {
  route(task: string, unitHash: string | null): Promise<RoutedPrompt>;
}

/** Versions are immutable, so they can be cached forever by id. */
export function createVersionCache(store: PromptStore) {
  const cache = new Map<string, PromptVersion>();
  return async (id: string): Promise<PromptVersion> => {
    const cached = cache.get(id);
    if (cached) return cached;
    const version = await store.getVersion(id);
    if (!version) throw new AppError("PROMPT_VERSION_NOT_FOUND", `Prompt version ${id} does not exist`);
    cache.set(id, version);
    return version;
  };
}
