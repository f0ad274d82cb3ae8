import type { ErrorExample } from "./bounded-term-counter.js";
import type { CorrectionReason } from "../../feedback/feedback-types.js";
import type { StructuralPatternId } from "./structural-patterns.js";

/** Where a pattern came from: an ICU word, a character n-gram, or a sentence structure. */
export type PatternKind = "word" | "ngram" | "structure";

/** How errors containing a pattern went wrong: predicted → gold (gold null = wrong, gold unknown). */
export interface PatternDirection {
  predicted: string | null;
  gold: string | null;
  count: number;
  /** count / errorSupport */
  share: number;
}

/** What users corrected a pattern's inputs to: the majority label among its corrections, with its share. */
export interface CorrectionMajority {
  label: string;
  /** Corrections to `label`. */
  count: number;
  /** Errors containing the pattern whose right label users gave (a bare 👎 is not one). */
  corrections: number;
  /** count / corrections */
  share: number;
}

/** A term or structure over-represented among misclassified inputs, with its evidence. */
export interface MinedPattern {
  /** Stable id, e.g. "ngram:还行", "word:隔音", "structure:contrast". */
  id: string;
  kind: PatternKind;
  /** The term itself, or the structural pattern id. */
  text: string;
  /** Display name, e.g. "“还行”" or "转折 (contrast)". */
  title: string;
  /** Labelled documents containing the pattern. */
  support: number;
  errorSupport: number;
  correctSupport: number;
  /**
   * True when correctSupport is estimated from a random sample of correct answers (word patterns, see
   * ErrorMinerOptions.wordSampleRate); the z-score is then computed on the sample itself.
   */
  correctSupportSampled: boolean;
  /** errorSupport / support */
  errorRate: number;
  /** errorRate / the error rate over all mined documents. */
  lift: number;
  /** Log-odds ratio δ of containing the pattern, errors vs correct answers (see logOddsWithPrior). */
  logOdds: number;
  zScore: number;
  /** Error directions, most frequent first. */
  directions: PatternDirection[];
  dominantDirection: PatternDirection | null;
  /**
   * The label users corrected these inputs to, by majority: what every rule's direction is worded from (never a
   * linguistic assumption such as "the part after the turn decides"). Null without corrections.
   */
  correctedTo: CorrectionMajority | null;
  /** Reservoir-sampled misclassified inputs containing the pattern. */
  examples: ErrorExample[];
  /** Near-identical patterns folded into this one (ids). */
  aliases: string[];
  /** Counts may be this much too low because the term was pruned for a while (bounded memory). */
  maxUndercount: number;
  /**
   * The reason tags on the pattern's sampled errors and the structure they point to (quality/reason-tags.ts);
   * absent until the analysis adds them.
   */
  reasonTags?: PatternReasonTags;
}

/** The tags among a pattern's errors. */
export interface PatternReasonTags {
  /** Sampled misclassified inputs containing the pattern. */
  sampledErrors: number;
  /** Of those, the ones with at least one tag. */
  tagged: number;
  /** Tag → errors carrying it (an error may carry several). */
  counts: Record<CorrectionReason, number>;
  /** The structure the tags point to when one structural tag is on ≥ half the tagged errors (≥ 3 of them). */
  structure: StructuralPatternId | null;
}
