/**
 * Which of a user's entries go into the chat system prompt, and how they read. Pure.
 * Newest first (the latest statement is what the user means now), then the most used; entries are added while they
 * fit the token budget, so a long memory never crowds out the conversation.
 */
import type { MemoryEntry } from "./memory-fact.js";

export const memoryHeading =
  "关于这位用户（用户自己说过的偏好和情况，回答时请遵守；不要向用户复述这段说明）：";

export interface MemoryBudget {
  tokens: number;
  countTokens(text: string): number;
}

export function rankMemoryEntries(entries: readonly MemoryEntry[], now: number): MemoryEntry[] {
  return entries
    .filter((entry) => entry.expiresAt > now)
    .toSorted((a, b) => b.createdAt - a.createdAt || b.uses - a.uses || a.id.localeCompare(b.id));
}

/** The entries that fit, and the text to append to the system prompt (empty when none fit). */
export function memoryContext(
  entries: readonly MemoryEntry[],
  budget: MemoryBudget,
  now: number,
): { used: MemoryEntry[]; text: string } {
  const used: MemoryEntry[] = [];
  let text = "";
  for (const entry of rankMemoryEntries(entries, now)) {
    const next = `${text === "" ? memoryHeading : text}\n- ${entry.text}`;
    if (budget.countTokens(next) > budget.tokens) break;
    used.push(entry);
    text = next;
  }
  return { used, text };
}

/** The system prompt with the memory appended (unchanged without any). */
export function withMemory(systemPrompt: string, memoryText: string): string {
  if (memoryText === "") return systemPrompt;
  return systemPrompt === "" ? memoryText : `${systemPrompt}\n\n${memoryText}`;
}
