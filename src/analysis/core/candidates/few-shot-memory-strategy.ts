import type { LabelledExample } from "../labelled-example.js";
import { normaliseText } from "../segment-text.js";
import { zhWordsAndBigramsTokenizer } from "../bm25-index.js";
import type {
  CandidateContext,
  CandidatePrompt,
  CandidateStrategy,
  RetrievalConfig,
} from "./candidate-prompt.js";

/** Options of the few-shot memory strategy. */
export interface FewShotMemoryOptions {
  /** Examples retrieved per input. Default 4. */
  k?: number;
  k1?: number;
  b?: number;
  /** Default 1: below that a hit shares little more than a common character pair. */
  minScore?: number;
  /** Longest example kept in the pool. Default 120. */
  maxExampleChars?: number;
  /** Most examples in the pool. Default 300. */
  poolSize?: number;
  /** Share of the pool that may be confirmed-correct examples (the rest are corrections). Default 0.5. */
  maxConfirmedShare?: number;
}

/**
 * Few-shot memory: stores corrected examples in the prompt version and, at inference time, shows the k most
 * similar ones by BM25 (see createFewShotRetriever). Corrections come first, newest first; confirmed-correct
 * examples fill up to `maxConfirmedShare` so the memory is not only about mistakes.
 */
export function createFewShotMemoryStrategy(options: FewShotMemoryOptions = {}): CandidateStrategy {
  const k = options.k ?? 4;
  const maxChars = options.maxExampleChars ?? 120;
  const poolSize = options.poolSize ?? 300;
  const confirmedShare = options.maxConfirmedShare ?? 0.5;
  return {
    name: "memory",
    propose(context: CandidateContext): CandidatePrompt | null {
      const usable = dedupe(
        context.pool.filter(
          (example) => context.task.labels.includes(example.gold) && [...example.text].length <= maxChars,
        ),
      );
      const newestFirst = (a: LabelledExample, b: LabelledExample) => b.createdAt - a.createdAt;
      const corrected = usable.filter((example) => !example.correct).sort(newestFirst);
      const confirmed = usable.filter((example) => example.correct).sort(newestFirst);
      const correctedTaken = corrected.slice(0, poolSize);
      const confirmedRoom = Math.min(poolSize - correctedTaken.length, Math.floor(poolSize * confirmedShare));
      const chosen = [...correctedTaken, ...confirmed.slice(0, Math.max(0, confirmedRoom))];
      if (correctedTaken.length < k) {
        return context.skip(
          `only ${correctedTaken.length} corrected examples in the pool, need at least k = ${k}`,
        );
      }
      const retrieval: RetrievalConfig = {
        method: "bm25",
        tokenizer: zhWordsAndBigramsTokenizer,
        k,
        k1: options.k1 ?? 1.2,
        b: options.b ?? 0.75,
        minScore: options.minScore ?? 1,
        maxExampleChars: maxChars,
        pool: chosen.map((example) => ({ input: example.text, label: example.gold })),
      };
      return {
        strategy: "memory",
        systemPrompt: context.current.systemPrompt,
        ...(context.current.params === undefined ? {} : { params: context.current.params }),
        retrieval,
        changes: [
          `added few-shot memory: BM25 retrieval of up to ${k} similar examples (k1 = ${retrieval.k1}, b = ${retrieval.b}) ` +
            `from a pool of ${chosen.length} (${correctedTaken.length} corrections, ${chosen.length - correctedTaken.length} confirmed)`,
        ],
        rationale:
          `users corrected ${corrected.length} distinct inputs before the holdout; showing the most similar past corrections ` +
          `lets the model reuse them for inputs that resemble past mistakes without changing the instruction for the rest`,
        targetPatterns: context.patterns.slice(0, 3).map((pattern) => pattern.id),
      };
    },
  };
}

function dedupe(examples: readonly LabelledExample[]): LabelledExample[] {
  const seen = new Map<string, LabelledExample>();
  // Later feedback on the same text wins: it is the users' latest word on it.
  for (const example of examples) seen.set(normaliseText(example.text), example);
  return [...seen.values()];
}
