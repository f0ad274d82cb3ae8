import type { ChatTurn } from "../engine/llm-backend.js";
import type { FewShotExample, PromptDefinition } from "./prompt-definition.js";

/**
 * The turns a classifier sees before the input: its system prompt, then fixed few-shot examples as
 * user/assistant pairs. Kept separate from the input so the whole prefix is cached per version.
 */
export function classificationPrefix(
  definition: PromptDefinition,
  retrieved: FewShotExample[] = [],
): ChatTurn[] {
  const turns: ChatTurn[] = [{ role: "system", content: definition.systemPrompt }];
  for (const example of [...(definition.fewShot ?? []), ...retrieved]) {
    turns.push({ role: "user", content: example.input }, { role: "assistant", content: example.label });
  }
  return turns;
}
