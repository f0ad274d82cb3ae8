/**
 * A tokenizer-free token count for budgeting chat history against a remote model, whose tokenizer is behind an
 * HTTP call (the budget is computed synchronously). It errs high, so that history is trimmed a little early rather
 * than overflowing the server's context: Qwen's BPE spends about one token per 1.5 CJK characters and per 4 Latin
 * characters; this counts one per CJK (or other non-ASCII) character and one per 3 ASCII characters.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.codePointAt(0)! < 0x80) ascii++;
    else other++;
  }
  return other + Math.ceil(ascii / 3);
}
