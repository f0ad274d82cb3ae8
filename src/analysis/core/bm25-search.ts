import MiniSearch from "minisearch";
import type { WordSegmenter } from "./segment-text.js";
import { hanNgrams } from "./segment-text.js";

/** Turns a text into index terms. */
export type Tokenizer = (text: string) => string[];

/** BM25 parameters (Robertson & Zaragoza 2009). */
export interface Bm25Parameters {
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  /** Length normalisation, 0..1. Default 0.75. */
  b?: number;
}

export interface Bm25Hit<T> {
  document: T;
  score: number;
}

/** An in-memory BM25 index; build once, query many times. Pure: no I/O, deterministic ties. */
export interface Bm25Index<T> {
  readonly size: number;
  /** The k best-scoring documents with a positive score, best first; ties keep index order. */
  retrieve(query: string, k: number): Bm25Hit<T>[];
}

/** The tokenizer the few-shot memory records in its retrieval parameters. */
export const zhWordsAndBigramsTokenizer = "icu-zh-words+han-bigrams";

/**
 * ICU words plus Han character bigrams: ICU splits some phrases that matter (还行 → 还|行), bigrams catch them.
 * Bigrams get a prefix so that a bigram and an identical word stay separate terms.
 */
export function createZhTokenizer(segmentWords: WordSegmenter): Tokenizer {
  return (text) => [...segmentWords(text), ...hanNgrams(text, [2]).map((gram) => `²${gram}`)];
}

/** The text of document number `id` as MiniSearch indexes it. */
export interface IndexedText {
  id: number;
  text: string;
}

/**
 * The MiniSearch index behind createBm25Index, empty: one field, the given tokenizer for documents and queries (a
 * query's repeated terms count once), no further term processing, BM25 with δ = 0.
 */
export function createMiniSearchIndex(
  tokenize: Tokenizer,
  parameters: Bm25Parameters = {},
): MiniSearch<IndexedText> {
  return new MiniSearch<IndexedText>({
    fields: ["text"],
    tokenize,
    // The tokenizer already normalises (lower case, no numbers); MiniSearch's default would lower-case again.
    processTerm: (term) => term,
    searchOptions: {
      tokenize: (query) => [...new Set(tokenize(query))],
      bm25: { k: parameters.k1 ?? 1.2, b: parameters.b ?? 0.75, d: 0 },
    },
  });
}

/**
 * A BM25 index on MiniSearch. Scores are MiniSearch's BM25 with δ = 0 (classic BM25, not BM25+), so that a stored
 * version's `minScore` keeps its meaning: IDF as in Lucene (never negative), a document's length counted in
 * distinct terms (MiniSearch's rule), and each distinct query term counted once. MiniSearch multiplies a hit's
 * sum by the number of query terms it matched; that factor is divided out again, for the same reason.
 */
export function createBm25Index<T>(
  documents: readonly T[],
  textOf: (document: T) => string,
  tokenize: Tokenizer,
  parameters: Bm25Parameters = {},
): Bm25Index<T> {
  const index = createMiniSearchIndex(tokenize, parameters);
  index.addAll(documents.map((document, id) => ({ id, text: textOf(document) })));

  return {
    size: documents.length,
    retrieve(query, k) {
      if (k <= 0 || documents.length === 0) return [];
      const best: { id: number; score: number }[] = [];
      // One pass keeping the k best (k is small): MiniSearch's own order includes the factor divided out here.
      for (const hit of index.search(query)) {
        const score = hit.score / Math.max(1, hit.queryTerms.length);
        if (!(score > 0)) continue;
        const id = hit.id as number;
        if (best.length === k) {
          if (!ranksBefore(score, id, best[k - 1]!)) continue;
          best.pop();
        }
        let at = best.length;
        while (at > 0 && ranksBefore(score, id, best[at - 1]!)) at -= 1;
        best.splice(at, 0, { id, score });
      }
      return best.map((hit) => ({ document: documents[hit.id]!, score: hit.score }));
    },
  };
}

/** Higher score first; ties keep index order. */
function ranksBefore(score: number, id: number, other: { id: number; score: number }): boolean {
  return score > other.score || (score === other.score && id < other.id);
}
