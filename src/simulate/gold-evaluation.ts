import type { FewShotMemory } from "../analysis/job/few-shot-memory.js";
import { replayVersion } from "../analysis/job/replay-version.js";
import type { LlmBackend } from "../engine/llm-backend.js";
import type { PromptDefinition } from "../tasks/prompt-definition.js";
import type { LabelledItem } from "./core/labelled-items.js";

/**
 * A version's accuracy against the gold labels, replayed through the engine exactly as it would serve (the
 * analysis job's replay: same prefix, few-shot and retrieval). The loop never sees this number: the report uses
 * it to say whether a promoted version was truly better.
 */
export async function goldAccuracyOf(
  backend: LlmBackend,
  definition: PromptDefinition,
  items: readonly LabelledItem[],
  memory: FewShotMemory,
): Promise<number | null> {
  if (definition.kind !== "classifier" || items.length === 0) return null;
  const replayItems = items.map((item, index) => ({
    id: String(index),
    input: item.text,
    gold: item.gold,
    recordedPrediction: null,
    createdAt: 0,
  }));
  const { predictions } = await replayVersion(backend, definition, replayItems, { memory });
  const correct = replayItems.filter((item) => predictions[item.id] === item.gold).length;
  return correct / items.length;
}
