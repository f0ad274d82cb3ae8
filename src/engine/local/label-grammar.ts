import type { Token } from "node-llama-cpp";

/** How each label is spelled in tokens, and the GBNF grammar that allows exactly those spellings. */
export interface LabelGrammarPlan {
  /** Token sequence per label, in label order. */
  labelTokens: Token[][];
  /** `root ::= <[a]> <[b]> | <[c]>`: token-level alternatives, so no other text can come out. */
  grammar: string;
  /** True when some label's tokens are a prefix of another's; then each alternative ends with end-of-turn. */
  terminated: boolean;
}

function isPrefix(a: Token[], b: Token[]): boolean {
  return a.length <= b.length && a.every((token, i) => token === b[i]);
}

/**
 * Pure: builds the grammar from already-tokenized labels. Fails if two labels tokenize identically,
 * because then the model's choice could not be told apart.
 */
export function planLabelGrammar(
  labels: string[],
  tokenized: Token[][],
  endOfTurn: Token | null,
): LabelGrammarPlan {
  if (labels.length < 2 || tokenized.length !== labels.length)
    throw new Error("A classifier needs at least two labels");
  tokenized.forEach((tokens, i) => {
    if (tokens.length === 0) throw new Error(`Label ${JSON.stringify(labels[i])} tokenizes to nothing`);
  });
  let terminated = false;
  for (let i = 0; i < tokenized.length; i++) {
    for (let j = 0; j < tokenized.length; j++) {
      if (i === j) continue;
      if (isPrefix(tokenized[i]!, tokenized[j]!)) {
        if (tokenized[i]!.length === tokenized[j]!.length) {
          throw new Error(`Labels ${labels[i]} and ${labels[j]} tokenize identically`);
        }
        terminated = true;
      }
    }
  }
  if (terminated && endOfTurn === null)
    throw new Error("Labels overlap and the model has no end-of-turn token");
  const labelTokens = tokenized.map((tokens) => (terminated ? [...tokens, endOfTurn!] : tokens));
  const alternatives = labelTokens.map((tokens) => tokens.map((t) => `<[${t}]>`).join(" "));
  return { labelTokens, grammar: `root ::= ${alternatives.join(" | ")}`, terminated };
}

/** Which label the chosen tokens spell, once they spell one completely. */
export function matchLabel(plan: LabelGrammarPlan, chosen: Token[]): number | undefined {
  const index = plan.labelTokens.findIndex(
    (tokens) => tokens.length === chosen.length && tokens.every((t, i) => t === chosen[i]),
  );
  return index >= 0 ? index : undefined;
}
