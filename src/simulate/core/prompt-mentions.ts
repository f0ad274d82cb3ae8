/** The parts of a prompt version the scripted model reads for mentions. */
export interface MentionablePrompt {
  systemPrompt: string;
  fewShot?: readonly { input: string; label: string }[] | undefined;
  retrieval?: { pool: readonly { input: string; label: string }[] } | undefined;
}

/**
 * The blind-spot words a version's prompt mentions: in its system prompt or fixed few-shot examples (always
 * shown), or only in its few-shot memory pool (shown when retrieved), marked "(memory)".
 */
export function promptMentions(prompt: MentionablePrompt, words: readonly string[]): string[] {
  const fixed = [prompt.systemPrompt, ...(prompt.fewShot ?? []).map((example) => example.input)].join("\n");
  const pool = (prompt.retrieval?.pool ?? []).map((example) => example.input).join("\n");
  return words.flatMap((word) =>
    fixed.includes(word) ? [word] : pool.includes(word) ? [`${word} (memory)`] : [],
  );
}
