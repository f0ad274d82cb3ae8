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

export function createBm25Index<T>(
  documents: readonly T[],
  textOf: (document: T) => string,
  tokenize: Tokenizer,
  parameters: Bm25Parameters = {},
): Bm25Index<T> {
  const k1 = parameters.k1 ?? 1.2;
  const b = parameters.b ?? 0.75;
  const postings = new Map<string, { document: number; frequency: number }[]>();
  const lengths: number[] = [];
  documents.forEach((document, index) => {
    const terms = tokenize(textOf(document));
    lengths.push(terms.length);
    const frequencies = new Map<string, number>();
    for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    for (const [term, frequency] of frequencies) {
      let list = postings.get(term);
      if (list === undefined) postings.set(term, (list = []));
      list.push({ document: index, frequency });
    }
  });
  const count = documents.length;
  const averageLength = count === 0 ? 0 : lengths.reduce((sum, length) => sum + length, 0) / count;

  return {
    size: count,
    retrieve(query, k) {
      if (k <= 0 || count === 0) return [];
      const scores = new Map<number, number>();
      for (const term of new Set(tokenize(query))) {
        const list = postings.get(term);
        if (list === undefined) continue;
        // Lucene's IDF: never negative, so very common terms add little instead of subtracting.
        const idf = Math.log(1 + (count - list.length + 0.5) / (list.length + 0.5));
        for (const { document, frequency } of list) {
          const norm = frequency + k1 * (1 - b + (b * lengths[document]!) / (averageLength || 1));
          scores.set(document, (scores.get(document) ?? 0) + (idf * frequency * (k1 + 1)) / norm);
        }
      }
      return [...scores]
        .filter(([, score]) => score > 0)
        .sort((x, y) => y[1] - x[1] || x[0] - y[0])
        .slice(0, k)
        .map(([index, score]) => ({ document: documents[index]!, score }));
    },
  };
}
