/** Estimates how many model tokens a text takes; injected so a real tokenizer can replace the heuristic. */
export type TokenEstimator = (text: string) => number;

const cjk =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

/**
 * About one token per CJK character (Qwen's vocabulary has many two-character Chinese tokens, so this errs on the
 * safe side) and one per four other characters.
 */
export const estimateTokens: TokenEstimator = (text) => {
  let cjkChars = 0;
  let otherChars = 0;
  for (const char of text) {
    if (cjk.test(char)) cjkChars += 1;
    else otherChars += 1;
  }
  return cjkChars + Math.ceil(otherChars / 4);
};
