import type { LabelledExample } from "../labelled-example.js";
import type { MinedPattern } from "../mined-pattern.js";
import type { WordSegmenter } from "../segment-text.js";
import type { TokenEstimator } from "../token-estimate.js";

/** One few-shot example as a prompt version stores it. */
export interface FewShotExample {
  input: string;
  label: string;
}

/**
 * Retrieval-augmented few-shot ("few-shot memory"): at inference time the engine retrieves the k pool examples
 * most similar to the input (see createFewShotRetriever) and shows them before the input. Every parameter is here,
 * so the retrieval is part of the prompt version and a replay is reproducible.
 */
export interface RetrievalConfig {
  method: "bm25";
  /** How the pool and the query are tokenised (see bm25-index.ts). */
  tokenizer: string;
  k: number;
  k1: number;
  b: number;
  /** Hits scoring below this are not shown. */
  minScore: number;
  /** Longest pool example kept (longer ones were left out of the pool). */
  maxExampleChars: number;
  pool: FewShotExample[];
}

/** The prompt version a candidate starts from. */
export interface CurrentPrompt {
  /** e.g. "sentiment@v1" */
  id: string;
  systemPrompt: string;
  params?: Record<string, unknown>;
  fewShot?: FewShotExample[];
  retrieval?: RetrievalConfig;
}

/** A proposed prompt version, with what changed and why. */
export interface CandidatePrompt {
  /** The strategy's name; unique within one run. */
  strategy: string;
  systemPrompt: string;
  params?: Record<string, unknown>;
  fewShot?: FewShotExample[];
  retrieval?: RetrievalConfig;
  /** What changed, one line each. */
  changes: string[];
  /** Why, citing the patterns and counts behind it. */
  rationale: string;
  /** Ids of the mined patterns this candidate addresses (its replay slice). */
  targetPatterns: string[];
}

/** Everything a strategy may look at. Pure data plus injected helpers. */
export interface CandidateContext {
  task: { task: string; labels: readonly string[] };
  current: CurrentPrompt;
  /** Mined patterns, best first. */
  patterns: readonly MinedPattern[];
  /** Labelled examples from before the holdout cutoff; the only examples a candidate may use. */
  pool: readonly LabelledExample[];
  baseErrorRate: number | null;
  segmentWords: WordSegmenter;
  estimateTokens: TokenEstimator;
  /** Records why the strategy proposes nothing, and returns null for `return ctx.skip(...)`. */
  skip(reason: string): null;
}

/** A pluggable way of proposing a prompt; must be deterministic for the same context. */
export interface CandidateStrategy {
  name: string;
  propose(context: CandidateContext): CandidatePrompt | null;
}
