import { createBm25Index, createZhTokenizer, zhWordsAndBigramsTokenizer } from "../bm25-index.js";
import type { WordSegmenter } from "../segment-text.js";
import { createWordSegmenter } from "../segment-text.js";
import { AppError } from "../../../errors.js";
import type { FewShotExample, RetrievalConfig } from "./candidate-prompt.js";

/** What the engine calls per request of a prompt version with few-shot memory. */
export interface FewShotRetriever {
  /** The k most similar pool examples scoring at least minScore, most similar first. */
  retrieve(input: string): FewShotExample[];
}

/**
 * Builds the retriever of a prompt version's `retrieval` config; build it once per version, it is pure and
 * thread-safe. Throws CONFIG_INVALID for a method or tokenizer this build does not know.
 */
export function createFewShotRetriever(
  config: RetrievalConfig,
  segmentWords: WordSegmenter = createWordSegmenter(),
): FewShotRetriever {
  if (config.method !== "bm25" || config.tokenizer !== zhWordsAndBigramsTokenizer) {
    throw new AppError("CONFIG_INVALID", `unsupported retrieval ${config.method}/${config.tokenizer}`, {
      details: { method: config.method, tokenizer: config.tokenizer },
    });
  }
  const index = createBm25Index(config.pool, (example) => example.input, createZhTokenizer(segmentWords), {
    k1: config.k1,
    b: config.b,
  });
  return {
    retrieve(input) {
      return index
        .retrieve(input, config.k)
        .filter((hit) => hit.score >= config.minScore)
        .map((hit) => hit.document);
    },
  };
}
