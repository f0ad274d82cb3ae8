import { zhWordsAndBigramsTokenizer } from "../core/bm25-index.js";
import type { RetrievalConfig } from "../core/candidates/candidate-prompt.js";
import { createFewShotRetriever, type FewShotRetriever } from "../core/candidates/few-shot-retriever.js";
import { createWordSegmenter, type WordSegmenter } from "../core/segment-text.js";
import {
  promptVersionId,
  type FewShotExample,
  type PromptDefinition,
  type RetrievalSettings,
} from "../../tasks/prompt-definition.js";

/**
 * Versions drafted by the analysis store the whole RetrievalConfig (tokenizer and minScore included); prompt files
 * can't name those two, so a file-defined version gets the values the analysis's memory strategy uses.
 */
export const defaultRetrievalTokenizer = zhWordsAndBigramsTokenizer;
export const defaultRetrievalMinScore = 1;

type StoredRetrieval = RetrievalSettings & Partial<Pick<RetrievalConfig, "tokenizer" | "minScore">>;

/** The full retrieval config of a stored version's settings, with the defaults above for what it leaves out. */
export function retrievalConfigOf(settings: RetrievalSettings): RetrievalConfig {
  const stored: StoredRetrieval = settings;
  return {
    method: stored.method,
    tokenizer: stored.tokenizer ?? defaultRetrievalTokenizer,
    k: stored.k,
    k1: stored.k1,
    b: stored.b,
    minScore: stored.minScore ?? defaultRetrievalMinScore,
    maxExampleChars: stored.maxExampleChars,
    pool: stored.pool,
  };
}

/** Few-shot memory at inference time: the examples a version with `retrieval` shows before an input. */
export interface FewShotMemory {
  /** The k pool examples most similar to the input (none when the version has no retrieval). */
  retrieve(definition: PromptDefinition, input: string): FewShotExample[];
}

/** Options of createFewShotMemory. */
export interface FewShotMemoryOptions {
  /** Retrievers kept; building one indexes the version's pool, so they are cached. Default 16. */
  maxCachedVersions?: number;
  segmentWords?: WordSegmenter;
}

/**
 * One BM25 index per prompt version, built on first use and cached by version id: versions are immutable, so an
 * index never goes stale. The inference path (TaskService.retrieveExamples) and the analysis replay share it, so a
 * candidate is replayed with exactly the retrieval it would serve with.
 */
export function createFewShotMemory(options: FewShotMemoryOptions = {}): FewShotMemory {
  const capacity = options.maxCachedVersions ?? 16;
  const segmentWords = options.segmentWords ?? createWordSegmenter();
  const retrievers = new Map<string, FewShotRetriever>();
  const retrieverFor = (definition: PromptDefinition & { retrieval: RetrievalSettings }) => {
    const id = promptVersionId(definition.task, definition.version);
    let retriever = retrievers.get(id);
    if (retriever === undefined) {
      retriever = createFewShotRetriever(retrievalConfigOf(definition.retrieval), segmentWords);
      if (retrievers.size >= capacity) retrievers.delete(retrievers.keys().next().value!);
    } else retrievers.delete(id);
    // Re-inserting keeps the Map in least-recently-used order.
    retrievers.set(id, retriever);
    return retriever;
  };
  return {
    retrieve(definition, input) {
      const { retrieval } = definition;
      if (retrieval === undefined) return [];
      // RetrievalSettings promises examples no longer than maxExampleChars; a hand-written pool may hold longer ones.
      return retrieverFor({ ...definition, retrieval })
        .retrieve(input)
        .map((example) => ({ ...example, input: clip(example.input, retrieval.maxExampleChars) }));
    },
  };
}

function clip(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length > maxChars ? chars.slice(0, maxChars).join("") : text;
}
