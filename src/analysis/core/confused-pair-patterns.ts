import type { TermStats } from "./bounded-term-counter.js";
import { logOddsWithPrior, pooledPrior } from "./log-odds.js";
import type { PatternKind } from "./mined-pattern.js";
import { normalQuantile } from "./normal-quantile.js";

/** A term over-represented among the errors of one confused pair. */
export interface PairPattern {
  id: string;
  kind: PatternKind;
  text: string;
  title: string;
  /** Errors of this pair containing the term. */
  errorSupport: number;
  /** Correct answers containing the term (scaled back when sampled). */
  correctSupport: number;
  logOdds: number;
  zScore: number;
}

/**
 * One confused pair of labels (predicted → gold; gold null = 👎 with the gold unknown) with the terms that tell
 * its errors apart from correct answers. On a task with many labels the errors of different pairs have different
 * causes ("卡片办理 → 卡片故障" is about a broken card, "转账汇款 → 充值" about top-ups), which one ranking over
 * all errors would blur.
 */
export interface ConfusedPairPatterns {
  predicted: string | null;
  gold: string | null;
  /** Misclassified documents in this direction. */
  errors: number;
  /** errors / all misclassified documents. */
  share: number;
  /** Best first (highest z). */
  patterns: PairPattern[];
  /** Terms that met the support minimums for this pair (its Bonferroni family). */
  testedPatterns: number;
  /** The z a term needed for this pair. */
  minZ: number;
}

/** Options of {@link rankConfusedPairs}. */
export interface ConfusedPairOptions {
  /** Pairs reported, most frequent first. Default 5. */
  maxPairs?: number;
  /** Fewest errors a pair needs to be mined. Default 5. */
  minPairErrors?: number;
  /** Patterns per pair. Default 5. */
  patternsPerPair?: number;
  /** Fewest errors of the pair that contain a term. Default 3. */
  minErrorSupport?: number;
}

/** A counter of one pattern kind, with the reference group it was counted against. */
export interface PairTermSource {
  kind: PatternKind;
  terms: Iterable<[string, TermStats]>;
  /** Correct documents counted (a sample for words). */
  referenceTotal: number;
  /** correctDocuments / referenceTotal: scales sampled correct counts back for reporting. */
  scale: number;
  titleOf: (text: string) => string;
}

/**
 * Pure: ranks, for each of the most frequent confused pairs, the terms whose share among that pair's errors is
 * highest against correct answers (log-odds with an informative prior, Bonferroni per pair at `familywiseAlpha`).
 * `pairErrors` maps a direction code (predicted index × width + gold index) to its error documents.
 */
export function rankConfusedPairs(input: {
  pairErrors: ReadonlyMap<number, number>;
  errorDocuments: number;
  labels: readonly string[];
  sources: readonly PairTermSource[];
  minSupport: number;
  priorStrength: number;
  familywiseAlpha: number;
  options?: ConfusedPairOptions;
}): ConfusedPairPatterns[] {
  const settings = {
    maxPairs: 5,
    minPairErrors: 5,
    patternsPerPair: 5,
    minErrorSupport: 3,
    ...input.options,
  };
  const width = input.labels.length + 1;
  const pairs = [...input.pairErrors]
    .filter(([, errors]) => errors >= settings.minPairErrors)
    .sort(([codeA, a], [codeB, b]) => b - a || codeA - codeB)
    .slice(0, settings.maxPairs);
  return pairs.map(([code, errors]) => {
    const candidates: PairPattern[] = [];
    for (const source of input.sources) {
      for (const [text, stats] of source.terms) {
        const inPair = stats.directions?.get(code) ?? 0;
        if (inPair < settings.minErrorSupport) continue;
        const correctSupport = source.scale === 1 ? stats.correct : Math.round(stats.correct * source.scale);
        if (inPair + correctSupport < input.minSupport) continue;
        const counts = {
          targetCount: inPair,
          targetTotal: errors,
          referenceCount: stats.correct,
          referenceTotal: source.referenceTotal,
        };
        const odds = logOddsWithPrior(counts, pooledPrior(counts, input.priorStrength));
        candidates.push({
          id: `${source.kind}:${text}`,
          kind: source.kind,
          text,
          title: source.titleOf(text),
          errorSupport: inPair,
          correctSupport,
          logOdds: odds.delta,
          zScore: odds.z,
        });
      }
    }
    const minZ = normalQuantile(1 - input.familywiseAlpha / Math.max(1, candidates.length));
    return {
      predicted: input.labels[Math.floor(code / width)] ?? null,
      gold: input.labels[code % width] ?? null,
      errors,
      share: input.errorDocuments === 0 ? 0 : errors / input.errorDocuments,
      patterns: candidates
        .filter((pattern) => pattern.zScore >= minZ)
        .sort((a, b) => b.zScore - a.zScore || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, settings.patternsPerPair),
      testedPatterns: candidates.length,
      minZ,
    };
  });
}
