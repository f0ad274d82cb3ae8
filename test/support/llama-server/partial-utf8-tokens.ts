import { gpt2ByteOrder, type ByteLevelBpeVocabulary } from "../gguf/byte-level-bpe-vocabulary.js";

/**
 * Ids of the tokens whose bytes are not valid UTF-8 on their own (single bytes ≥ 0x80, and merges that stop inside
 * a character). Random weights string them together into invalid text, and llama-server then fails the reply with
 * 500 "The model produced output that does not match the expected Content-only format" (its output parser needs
 * UTF-8). Servers for tests and benchmarks start with these tokens excluded (`--logit-bias <id>-inf`); that changes
 * sampling only, not the probabilities llama-server reports, so label scores stay exact. A real model doesn't
 * produce such text.
 */
export function partialUtf8TokenIds(vocabulary: ByteLevelBpeVocabulary): number[] {
  const byteOf = new Map(gpt2ByteOrder().map(({ byte, text }) => [text, byte]));
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const ids: number[] = [];
  vocabulary.tokens.forEach((token, id) => {
    const bytes: number[] = [];
    for (const character of token) {
      const byte = byteOf.get(character);
      if (byte === undefined) return; // Not a byte-level spelling (a special or filler token).
      bytes.push(byte);
    }
    try {
      decoder.decode(new Uint8Array(bytes));
    } catch {
      ids.push(id);
    }
  });
  return ids;
}
