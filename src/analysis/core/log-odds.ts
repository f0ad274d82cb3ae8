/** Counts for one pattern in two groups of documents (e.g. misclassified vs correctly classified inputs). */
export interface LogOddsCounts {
  /** Documents of the target group (errors) that contain the pattern. */
  targetCount: number;
  /** Documents in the target group. */
  targetTotal: number;
  /** Documents of the reference group (correct answers) that contain the pattern. */
  referenceCount: number;
  /** Documents in the reference group. */
  referenceTotal: number;
}

/** The Dirichlet (here Beta) prior: `priorCount` pseudo-documents with the pattern out of `priorTotal`. */
export interface LogOddsPrior {
  priorCount: number;
  priorTotal: number;
}

export interface LogOddsResult {
  /** Log-odds ratio δ, target vs reference; positive = over-represented in the target group. */
  delta: number;
  variance: number;
  /** δ / √variance */
  z: number;
}

/**
 * The log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 16
 * and 18), applied at the document level: "corpus i" is the set of misclassified inputs, a "word count" is the
 * number of those inputs that contain the pattern, so δ compares the odds that an error vs a correct answer
 * contains it:
 *
 *   δ = ln((y₁+α)/(n₁+α₀−y₁−α)) − ln((y₂+α)/(n₂+α₀−y₂−α))
 *   σ² = 1/(y₁+α) + 1/(n₁+α₀−y₁−α) + 1/(y₂+α) + 1/(n₂+α₀−y₂−α)
 *
 * Monroe et al. drop the two complement terms of σ² because a word's share of a corpus is tiny; a structural
 * pattern can be present in a third of all documents, so we keep them (otherwise frequent patterns get inflated z).
 */
export function logOddsWithPrior(counts: LogOddsCounts, prior: LogOddsPrior): LogOddsResult {
  const { targetCount: y1, targetTotal: n1, referenceCount: y2, referenceTotal: n2 } = counts;
  const { priorCount: a, priorTotal: a0 } = prior;
  const with1 = y1 + a;
  const without1 = n1 + a0 - y1 - a;
  const with2 = y2 + a;
  const without2 = n2 + a0 - y2 - a;
  const delta = Math.log(with1 / without1) - Math.log(with2 / without2);
  const variance = 1 / with1 + 1 / without1 + 1 / with2 + 1 / without2;
  return { delta, variance, z: delta / Math.sqrt(variance) };
}

/**
 * The informative prior: the pattern's pooled share across both groups, worth `strength` pseudo-documents. It
 * shrinks rare patterns towards "no difference" and leaves well-supported ones alone. The share gets half a
 * pseudo-document each way so the prior never puts all (or none) of its mass on the pattern, which would make δ
 * infinite for a pattern present in every document (or in none).
 */
export function pooledPrior(counts: LogOddsCounts, strength: number): LogOddsPrior {
  const pooledTotal = counts.targetTotal + counts.referenceTotal;
  const share = (counts.targetCount + counts.referenceCount + 0.5) / (pooledTotal + 1);
  return { priorCount: strength * share, priorTotal: strength };
}
