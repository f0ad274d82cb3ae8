import { AppError } from "../errors.js";
import type { PromptStore, PromptVersion } from "./store/prompt-store.js";

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
