import type { ReplayPredictions } from "../core/replay-gate.js";
import type { ReplayItem } from "../core/replay-sets.js";
import type { LlmBackend } from "../../engine/llm-backend.js";
import { AppError, isAppError } from "../../errors.js";
import { classificationPrefix } from "../../tasks/classification-prompt.js";
import type { PromptDefinition } from "../../tasks/prompt-definition.js";
import type { FewShotMemory } from "./few-shot-memory.js";

/** Options of replayVersion. */
export interface ReplayVersionOptions {
  memory: FewShotMemory;
  /** Aborting stops the replay with CLIENT_CLOSED. */
  signal?: AbortSignal;
  /** Called after each item (for progress and heartbeats). */
  onItem?: () => void;
}

/** A version's answers on the replay items, and the items the engine could not answer. */
export interface ReplayOutcome {
  predictions: ReplayPredictions;
  failures: number;
  /** The first failure's code and message, for the report. */
  firstFailure: string | null;
}

/**
 * Replays one prompt version on the items through the real engine, exactly as it would serve: the same prefix
 * (system prompt, fixed few-shot, retrieved examples) and the same label grammar. Items run one at a time so a
 * replay during serving never takes more than one of the model's sequences. An item the engine fails on gets no
 * prediction (the gate counts it as wrong); cancellation stops the whole replay.
 */
export async function replayVersion(
  backend: LlmBackend,
  definition: PromptDefinition,
  items: readonly ReplayItem[],
  options: ReplayVersionOptions,
): Promise<ReplayOutcome> {
  const labels = definition.labels;
  if (definition.kind !== "classifier" || labels === undefined) {
    throw new AppError("VALIDATION_FAILED", `${definition.task}@${definition.version} is not a classifier`);
  }
  const predictions: Record<string, string | null> = {};
  let failures = 0;
  let firstFailure: string | null = null;
  for (const item of items) {
    if (options.signal?.aborted) throw new AppError("CLIENT_CLOSED", "The analysis run was cancelled");
    try {
      const result = await backend.classify({
        prefix: classificationPrefix(definition, options.memory.retrieve(definition, item.input)),
        input: item.input,
        labels,
        ...(definition.adapter && { adapter: definition.adapter }),
        ...(options.signal && { signal: options.signal }),
      });
      predictions[item.id] = result.label;
    } catch (error) {
      if (options.signal?.aborted || (isAppError(error) && error.code === "CLIENT_CLOSED")) throw error;
      failures += 1;
      predictions[item.id] = null;
      firstFailure ??= isAppError(error)
        ? `${error.code}: ${error.message}`
        : `${(error as Error).message ?? String(error)}`;
    }
    options.onItem?.();
  }
  return { predictions, failures, firstFailure };
}
