import { fileURLToPath } from "node:url";
import { readPromptFiles } from "../../src/prompts/prompt-directory.js";
import type { PromptDefinition } from "../../src/tasks/prompt-definition.js";

/** The prompt files the service ships with (prompts/*.yaml). */
export const bundledPromptsDir = fileURLToPath(new URL("../../prompts/", import.meta.url));

/** The shipped tasks, exactly as the service loads them. */
export async function bundledTasks(): Promise<{
  sentiment: PromptDefinition;
  chat: PromptDefinition;
  moderation: PromptDefinition;
  qaCheck: PromptDefinition;
  intent: PromptDefinition;
}> {
  const definitions = await readPromptFiles(bundledPromptsDir);
  const find = (task: string) => {
    const found = definitions.find((d) => d.task === task);
    if (!found) throw new Error(`prompts/ has no ${task} task`);
    return found;
  };
  return {
    sentiment: find("sentiment"),
    chat: find("chat"),
    moderation: find("moderation"),
    qaCheck: find("qa-check"),
    intent: find("intent"),
  };
}
