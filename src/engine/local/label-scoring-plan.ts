import type { Token } from "node-llama-cpp";
import { planLabelBranches, type LabelBranchPlan } from "./label-branch-plan.js";

/**
 * How a label set is scored: each label's tokens, and the distinct tokens a label can start with. A label's
 * score is log P(first token | prompt) + Σ log P(next token | prompt, earlier label tokens), read from the model's
 * distribution at each position (teacher forcing), never sampled.
 */
export interface LabelScoringPlan<T extends number = Token> {
  /** Token sequence per label, in label order; ends with end-of-turn when `terminated`. */
  labelTokens: T[][];
  /** The distinct first tokens of all labels, in order of first appearance. */
  firstTokens: T[];
  /**
   * True when some label's tokens are a prefix of another's ("好" and "好评"). Then every label ends with the
   * end-of-turn token, so that "好" means "好 and nothing more" and the two can be told apart.
   */
  terminated: boolean;
  /** The label tokens to teacher-force after the prompt, as a trie of paths (see label-branch-plan.ts). */
  branches: LabelBranchPlan<T>;
}

function isPrefix(a: number[], b: number[]): boolean {
  return a.length <= b.length && a.every((token, i) => token === b[i]);
}

/**
 * Pure: builds the plan from already-tokenized labels. Fails if two labels tokenize identically, because the
 * model's preference between them could not be told apart. Generic over the token type so that a remote backend,
 * whose token ids are plain numbers, plans the same way.
 */
export function planLabelScoring<T extends number = Token>(
  labels: string[],
  tokenized: T[][],
  endOfTurn: T | null,
): LabelScoringPlan<T> {
  if (labels.length < 2 || tokenized.length !== labels.length)
    throw new Error("A classifier needs at least two labels");
  tokenized.forEach((tokens, i) => {
    if (tokens.length === 0) throw new Error(`Label ${JSON.stringify(labels[i])} tokenizes to nothing`);
  });
  let terminated = false;
  for (let i = 0; i < tokenized.length; i++) {
    for (let j = 0; j < tokenized.length; j++) {
      if (i === j || !isPrefix(tokenized[i]!, tokenized[j]!)) continue;
      if (tokenized[i]!.length === tokenized[j]!.length)
        throw new Error(`Labels ${labels[i]} and ${labels[j]} tokenize identically`);
      terminated = true;
    }
  }
  if (terminated && endOfTurn === null)
    throw new Error("Labels overlap and the model has no end-of-turn token");
  const labelTokens = tokenized.map((tokens) => (terminated ? [...tokens, endOfTurn!] : [...tokens]));
  const firstTokens = [...new Set(labelTokens.map((tokens) => tokens[0]!))];
  return { labelTokens, firstTokens, terminated, branches: planLabelBranches(labelTokens) };
}

/** The probabilities the model gave one label's tokens. */
export interface LabelTokenProbabilities {
  /** P(first token | prompt, first token is one of the plan's first tokens): the shared normaliser cancels. */
  first: number;
  /** P(token k | prompt, tokens before k) over the whole vocabulary, for k = 2 … length. */
  rest: number[];
}

/** The chosen label with the whole distribution over labels. */
export interface LabelChoice {
  index: number;
  /** P(label | one of the labels), for every label; sums to 1. */
  probabilities: number[];
}

// log(0) would make every score -Infinity when all labels are astronomically unlikely; the floor keeps the
// comparison defined (all-equal scores then give equal probabilities).
const logFloor = Math.log(Number.MIN_VALUE);
const safeLog = (p: number) => (p > 0 ? Math.max(logFloor, Math.log(p)) : logFloor);

/**
 * Pure: P(label | one of the labels) = P(label tokens) / Σ P(each label's tokens), computed in log space. Ties go
 * to the earlier label, because the request lists labels in order of preference.
 */
export function chooseLabel(scores: LabelTokenProbabilities[]): LabelChoice {
  if (scores.length === 0) throw new Error("No labels to choose from");
  const logScores = scores.map(({ first, rest }) =>
    rest.reduce((sum, p) => sum + safeLog(p), safeLog(first)),
  );
  const best = Math.max(...logScores);
  const weights = logScores.map((score) => Math.exp(score - best));
  const total = weights.reduce((sum, w) => sum + w, 0);
  const probabilities = weights.map((w) => w / total);
  const index = logScores.indexOf(best);
  return { index, probabilities };
}
