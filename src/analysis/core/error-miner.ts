import type { ErrorExample, TermStats } from "./bounded-term-counter.js";
import { BoundedTermCounter } from "./bounded-term-counter.js";
import {
  rankConfusedPairs,
  type ConfusedPairOptions,
  type ConfusedPairPatterns,
  type PairTermSource,
} from "./confused-pair-patterns.js";
import { dedupePatterns } from "./dedupe-patterns.js";
import { logOddsWithPrior, pooledPrior } from "./log-odds.js";
import { normalQuantile } from "./normal-quantile.js";
import { correctionMajority } from "./correction-majority.js";
import type { MinedPattern, PatternDirection, PatternKind } from "./mined-pattern.js";
import type { RandomSource } from "../../statistics/seeded-random.js";
import type { WordSegmenter } from "./segment-text.js";
import { decodeHanNgram, encodeHanNgram, forEachHanNgramCode } from "./segment-text.js";
import { structuralPattern, structuralPatterns } from "./structural-patterns.js";
import type { StructuralPatternId } from "./structural-patterns.js";

/** One labelled input, as the miner sees it. */
export interface MinedDocument {
  interactionId: string;
  text: string;
  predicted: string | null;
  /** null = wrong with gold unknown. */
  gold: string | null;
  correct: boolean;
  createdAt: number;
}

/** Options of the streaming part of the miner. */
export interface ErrorMinerOptions {
  /** The task's labels, in order (directions are reported with them). */
  labels: readonly string[];
  /** Drives the per-pattern reservoir samples of examples. */
  random: RandomSource;
  segmentWords: WordSegmenter;
  /**
   * Share of correctly classified documents that are word-segmented (misclassified ones always are). ICU
   * segmentation costs ~15 µs a review, most of the miner's time; the word source compares errors against this
   * random sample of correct answers instead of all of them, which keeps the log-odds unbiased and only widens its
   * variance. N-grams and structures always count every document. Default 0.25.
   */
  wordSampleRate?: number;
  /** Character n-gram sizes, from 1 to 3. Default [2, 3]. */
  ngramSizes?: readonly number[];
  /** Most words and most n-grams tracked at once (each). Default 50_000. */
  capacityPerKind?: number;
  /** Examples kept per pattern. Default 5. */
  examplesPerPattern?: number;
  /** Example texts are cut to this length. Default 160. */
  maxExampleChars?: number;
}

/** Options of the ranking, applied when the result is read. */
export interface PatternRankingOptions {
  /** Fewest labelled documents containing a pattern. Default 20. */
  minSupport?: number;
  /** Fewest misclassified documents containing a pattern. Default 5. */
  minErrorSupport?: number;
  /**
   * Smallest z-score reported. Default: the Bonferroni threshold for `familywiseAlpha` over every pattern that meets
   * the support minimums (thousands of terms are tested, so z ≈ 2 happens by chance alone).
   */
  minZ?: number;
  /** Family-wise error rate of the default minZ. Default 0.05. */
  familywiseAlpha?: number;
  /** Patterns reported. Default 20. */
  topK?: number;
  /** Pseudo-documents of the informative prior. Default 20. */
  priorStrength?: number;
  /** Overlapping terms whose error supports are at least this similar are folded together. Default 0.7. */
  overlapSupportRatio?: number;
  /** Mining by confused pair of labels (see rankConfusedPairs). */
  pairs?: ConfusedPairOptions;
}

export interface ErrorMiningResult {
  documents: number;
  errorDocuments: number;
  correctDocuments: number;
  /** errorDocuments / documents, null without documents. */
  baseErrorRate: number | null;
  /** Best first (highest z). */
  patterns: MinedPattern[];
  /** What bounded memory cost: the most any count can be too low, and how often terms were pruned. */
  pruning: { maxUndercount: number; prunes: number; wordsTracked: number; ngramsTracked: number };
  /** The ranking options used; `minZ` is the effective threshold. */
  ranking: Required<PatternRankingOptions>;
  /** Patterns that met the support minimums, i.e. how many were tested. */
  testedPatterns: number;
  /** The most frequent confused pairs of labels, each with the terms behind its errors. */
  confusedPairs: ConfusedPairPatterns[];
}

export interface ErrorMiner {
  add(document: MinedDocument): void;
  result(options?: PatternRankingOptions): ErrorMiningResult;
}

const defaultRanking: Omit<Required<PatternRankingOptions>, "minZ" | "pairs"> = {
  minSupport: 20,
  minErrorSupport: 5,
  familywiseAlpha: 0.05,
  topK: 20,
  priorStrength: 20,
  overlapSupportRatio: 0.7,
};

/**
 * Finds terms and structures over-represented among misclassified inputs. The streaming part only counts
 * (bounded by `capacityPerKind`); ranking by the log-odds ratio with an informative prior happens in `result()`.
 */
export function createErrorMiner(options: ErrorMinerOptions): ErrorMiner {
  const labels = options.labels;
  const ngramSizes = options.ngramSizes ?? [2, 3];
  if (ngramSizes.some((size) => !Number.isInteger(size) || size < 1 || size > 3)) {
    throw new RangeError(`n-gram sizes must be 1, 2 or 3, got ${ngramSizes.join(", ")}`);
  }
  const examplesPerTerm = options.examplesPerPattern ?? 5;
  const maxExampleChars = options.maxExampleChars ?? 160;
  const counterOptions = {
    capacity: options.capacityPerKind ?? 50_000,
    examplesPerTerm,
    random: options.random,
  };
  const words = new BoundedTermCounter<string>(counterOptions);
  const ngrams = new BoundedTermCounter<number>(counterOptions);
  const structures = new BoundedTermCounter<string>({ ...counterOptions, capacity: Number.MAX_SAFE_INTEGER });
  const wordSampleRate = options.wordSampleRate ?? 0.25;
  let documents = 0;
  let errorDocuments = 0;
  let wordSampledCorrect = 0;
  const pairErrors = new Map<number, number>();
  const width = labels.length + 1;
  const labelIndex = (label: string | null) => {
    const index = label === null ? -1 : labels.indexOf(label);
    return index === -1 ? labels.length : index;
  };

  return {
    add(document) {
      const index = documents;
      documents += 1;
      let example: ErrorExample | null = null;
      let direction = 0;
      if (!document.correct) {
        errorDocuments += 1;
        example = {
          interactionId: document.interactionId,
          text:
            document.text.length > maxExampleChars
              ? `${document.text.slice(0, maxExampleChars)}…`
              : document.text,
          predicted: document.predicted,
          gold: document.gold,
          createdAt: document.createdAt,
        };
        direction = labelIndex(document.predicted) * width + labelIndex(document.gold);
        pairErrors.set(direction, (pairErrors.get(direction) ?? 0) + 1);
      }
      const segment = !document.correct || wordSampleRate >= 1 || options.random() < wordSampleRate;
      if (segment) {
        if (document.correct) wordSampledCorrect += 1;
        for (const word of options.segmentWords(document.text)) words.add(word, index, example, direction);
      }
      forEachHanNgramCode(document.text, ngramSizes, (code) => ngrams.add(code, index, example, direction));
      for (const pattern of structuralPatterns) {
        if (pattern.find(document.text) !== null) structures.add(pattern.id, index, example, direction);
      }
    },

    result(rankingOptions = {}) {
      const correctTotal = documents - errorDocuments;
      const pairSources = (): PairTermSource[] => [
        {
          kind: "structure",
          terms: structures.terms,
          referenceTotal: correctTotal,
          scale: 1,
          titleOf: (id) => structureTitle(id as StructuralPatternId),
        },
        {
          kind: "word",
          terms: words.terms,
          referenceTotal: wordSampledCorrect,
          scale: wordSampledCorrect === 0 ? 1 : correctTotal / wordSampledCorrect,
          titleOf: (text) => `“${text}”`,
        },
        {
          kind: "ngram",
          terms: [...ngrams.terms].map(([code, stats]): [string, TermStats] => [decodeHanNgram(code), stats]),
          referenceTotal: correctTotal,
          scale: 1,
          titleOf: (text) => `“${text}”`,
        },
      ];
      const { pairs: pairOptions, ...rankingRest } = rankingOptions;
      const settings = { ...defaultRanking, ...rankingRest };
      const correctDocuments = documents - errorDocuments;
      const baseErrorRate = documents === 0 ? null : errorDocuments / documents;
      const candidates: MinedPattern[] = [];
      const consider = <Term extends string | number>(
        kind: PatternKind,
        counter: BoundedTermCounter<Term>,
        referenceTotal: number,
        textOf: (term: Term) => string,
      ) => {
        // A sampled reference group: counts scale back to the whole group for reporting.
        const scale = referenceTotal === 0 ? 1 : correctDocuments / referenceTotal;
        for (const [term, stats] of counter.terms) {
          const pattern = scorePattern(
            kind,
            textOf(term),
            stats,
            counter.maxUndercount,
            referenceTotal,
            scale,
          );
          if (pattern !== null) candidates.push(pattern);
        }
      };
      const scorePattern = (
        kind: PatternKind,
        text: string,
        stats: TermStats,
        maxUndercount: number,
        referenceTotal: number,
        scale: number,
      ) => {
        const correctSupport = scale === 1 ? stats.correct : Math.round(stats.correct * scale);
        const support = stats.errors + correctSupport;
        if (support < settings.minSupport || stats.errors < settings.minErrorSupport) return null;
        const counts = {
          targetCount: stats.errors,
          targetTotal: errorDocuments,
          referenceCount: stats.correct,
          referenceTotal,
        };
        const odds = logOddsWithPrior(counts, pooledPrior(counts, settings.priorStrength));
        const directions = decodeDirections(stats, labels);
        const errorRate = stats.errors / support;
        const pattern: MinedPattern = {
          id: `${kind}:${text}`,
          kind,
          text,
          title: kind === "structure" ? structureTitle(text as StructuralPatternId) : `“${text}”`,
          support,
          errorSupport: stats.errors,
          correctSupport,
          correctSupportSampled: scale !== 1,
          errorRate,
          lift: baseErrorRate === null || baseErrorRate === 0 ? 0 : errorRate / baseErrorRate,
          logOdds: odds.delta,
          zScore: odds.z,
          directions,
          dominantDirection: directions[0] ?? null,
          correctedTo: correctionMajority(directions),
          // Examples of the dominant direction first: they illustrate what the pattern's rule would be about.
          examples: [...(stats.examples ?? [])].sort(
            (a, b) =>
              Number(!isDirection(a, directions[0])) - Number(!isDirection(b, directions[0])) ||
              a.createdAt - b.createdAt ||
              compare(a.interactionId, b.interactionId),
          ),
          aliases: [],
          maxUndercount: Math.min(stats.undercount, maxUndercount),
        };
        return pattern;
      };
      consider("structure", structures, correctDocuments, (id) => id);
      consider("word", words, wordSampledCorrect, (word) => word);
      consider("ngram", ngrams, correctDocuments, decodeHanNgram);
      const tested = candidates.length;
      const minZ = settings.minZ ?? normalQuantile(1 - settings.familywiseAlpha / Math.max(1, tested));
      const ranking: Required<PatternRankingOptions> = { ...settings, minZ, pairs: pairOptions ?? {} };
      const significant = candidates
        .filter((pattern) => pattern.zScore >= minZ)
        .sort((a, b) => b.zScore - a.zScore || compare(a.id, b.id));
      const patterns = dedupePatterns(significant, {
        topK: ranking.topK,
        overlapSupportRatio: ranking.overlapSupportRatio,
        ngramErrorSupport: (text) => {
          const code = encodeHanNgram(text);
          return code === null ? undefined : ngrams.terms.get(code)?.errors;
        },
        documents,
      });
      return {
        documents,
        errorDocuments,
        correctDocuments,
        baseErrorRate,
        patterns,
        pruning: {
          maxUndercount: Math.max(words.maxUndercount, ngrams.maxUndercount),
          prunes: words.pruneCount + ngrams.pruneCount,
          wordsTracked: words.terms.size,
          ngramsTracked: ngrams.terms.size,
        },
        ranking,
        testedPatterns: tested,
        confusedPairs: rankConfusedPairs({
          pairErrors,
          errorDocuments,
          labels,
          sources: pairSources(),
          minSupport: settings.minSupport,
          priorStrength: settings.priorStrength,
          familywiseAlpha: settings.familywiseAlpha,
          ...(pairOptions && { options: pairOptions }),
        }),
      };
    },
  };
}

function decodeDirections(stats: TermStats, labels: readonly string[]): PatternDirection[] {
  const width = labels.length + 1;
  const directions: PatternDirection[] = [];
  for (const [code, count] of stats.directions ?? []) {
    directions.push({
      predicted: labels[Math.floor(code / width)] ?? null,
      gold: labels[code % width] ?? null,
      count,
      share: count / stats.errors,
    });
  }
  return directions.sort(
    (a, b) =>
      b.count - a.count ||
      compare(a.predicted ?? "", b.predicted ?? "") ||
      compare(a.gold ?? "", b.gold ?? ""),
  );
}

function isDirection(example: ErrorExample, direction: PatternDirection | undefined): boolean {
  return (
    direction !== undefined && example.predicted === direction.predicted && example.gold === direction.gold
  );
}

function structureTitle(id: StructuralPatternId): string {
  const { name } = structuralPattern(id);
  return `${name.zh} (${name.en})`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
