import type { LabelledExample } from "../labelled-example.js";
import type { MinedPattern } from "../mined-pattern.js";
import { findPatternMatch } from "../pattern-matcher.js";
import { normaliseText } from "../segment-text.js";
import { charBigramSet, jaccard } from "../text-similarity.js";
import type { TokenEstimator } from "../token-estimate.js";

/** Options of exemplar selection. */
export interface ExemplarSelectionOptions {
  labels: readonly string[];
  patterns: readonly MinedPattern[];
  estimateTokens: TokenEstimator;
  /** Most examples. Default 6. */
  maxExamples?: number;
  /** Token budget of all examples together (input + label + formatting). Default 300. */
  tokenBudget?: number;
  /** Longer inputs are not used: cutting them could change their label. Default 120. */
  maxExampleChars?: number;
  /** Two texts with a char-bigram Jaccard at or above this are near-duplicates. Default 0.6. */
  duplicateJaccard?: number;
  /** MMR trade-off between relevance and novelty. Default 0.7. */
  lambda?: number;
  /** Tokens of formatting around each example (e.g. "输入：…\n输出：…\n"). Default 6. */
  overheadTokens?: number;
}

export interface SelectedExemplar {
  example: LabelledExample;
  /** Ids of the patterns the example contains. */
  patterns: string[];
  tokens: number;
}

/**
 * Picks few-shot examples by maximal marginal relevance (Carbonell & Goldstein 1998): relevance favours inputs the
 * model got wrong and inputs showing a top pattern not yet covered; novelty penalises char-bigram similarity to
 * what is already chosen. Labels take turns so the set stays balanced, exact and near-duplicates are skipped, and
 * selection stops at the token budget.
 */
export function selectExemplars(
  pool: readonly LabelledExample[],
  options: ExemplarSelectionOptions,
): SelectedExemplar[] {
  const maxExamples = options.maxExamples ?? 6;
  const budget = options.tokenBudget ?? 300;
  const maxChars = options.maxExampleChars ?? 120;
  const duplicate = options.duplicateJaccard ?? 0.6;
  const lambda = options.lambda ?? 0.7;
  const overhead = options.overheadTokens ?? 6;
  const zMax = Math.max(1, ...options.patterns.map((pattern) => pattern.zScore));

  const seen = new Set<string>();
  const candidates = pool
    .filter(
      (example) =>
        options.labels.includes(example.gold) &&
        example.text.trim().length > 0 &&
        [...example.text].length <= maxChars,
    )
    .filter((example) => {
      const key = normaliseText(example.text);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((example) => ({
      example,
      grams: charBigramSet(example.text),
      patterns: options.patterns.filter((pattern) => findPatternMatch(pattern, example.text) !== null),
      tokens: options.estimateTokens(example.text) + options.estimateTokens(example.gold) + overhead,
    }));

  const chosen: typeof candidates = [];
  const covered = new Set<string>();
  let used = 0;
  let turn = 0;
  let idleTurns = 0;
  while (chosen.length < maxExamples && idleTurns < options.labels.length) {
    const label = options.labels[turn % options.labels.length]!;
    turn += 1;
    let best: (typeof candidates)[number] | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const candidate of candidates) {
      if (candidate.example.gold !== label || chosen.includes(candidate) || used + candidate.tokens > budget)
        continue;
      const similarity = Math.max(0, ...chosen.map((other) => jaccard(candidate.grams, other.grams)));
      if (similarity >= duplicate) continue;
      const novelty = candidate.patterns
        .filter((pattern) => !covered.has(pattern.id))
        .reduce((sum, pattern) => sum + pattern.zScore / zMax, 0);
      const relevance = (candidate.example.correct ? 0.2 : 1) + novelty;
      const score = lambda * relevance - (1 - lambda) * similarity;
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best === undefined) {
      idleTurns += 1;
      continue;
    }
    idleTurns = 0;
    chosen.push(best);
    used += best.tokens;
    for (const pattern of best.patterns) covered.add(pattern.id);
  }
  return chosen.map((candidate) => ({
    example: candidate.example,
    patterns: candidate.patterns.map((pattern) => pattern.id),
    tokens: candidate.tokens,
  }));
}
