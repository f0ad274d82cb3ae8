import type { ChatTurn } from "../engine/llm-backend.js";
import type { PromptDefinition } from "./prompt-definition.js";

export interface ChatBudget {
  /** Tokens available for the prompt (context size minus the reply budget). */
  promptTokens: number;
  countTokens(text: string): number;
}

/** Per-turn template overhead (`<|im_start|>role\n … <|im_end|>\n`). */
const turnOverheadTokens = 5;

/**
 * The conversation the model sees: the version's system prompt (client-sent system turns are dropped, so a
 * client cannot replace the prompt under test), then as many of the latest turns as fit the budget.
 * The last user turn is always kept.
 */
export function chatMessages(
  definition: PromptDefinition,
  history: ChatTurn[],
  budget: ChatBudget,
): ChatTurn[] {
  const system: ChatTurn = { role: "system", content: definition.systemPrompt };
  const turns = history.filter((t) => t.role !== "system");
  let used = budget.countTokens(system.content) + turnOverheadTokens;
  const kept: ChatTurn[] = [];
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i]!;
    const cost = budget.countTokens(turn.content) + turnOverheadTokens;
    if (kept.length > 0 && used + cost > budget.promptTokens) break;
    kept.unshift(turn);
    used += cost;
  }
  // A conversation must start with a user turn after the system prompt.
  while (kept.length > 1 && kept[0]!.role !== "user") kept.shift();
  return [system, ...kept];
}
