import type { Bm25Index, Bm25Parameters, Tokenizer } from "../../src/analysis/core/bm25-search.js";

/**
 * The hand-written BM25 index the few-shot memory used before MiniSearch (src/analysis/core/bm25-index.ts until
 * 2026-12), kept in the bench only so that the few-shot-retrieval section measures before and after in one run.
 * Document length counts every term (MiniSearch counts distinct terms).
 */
export function createHandWrittenBm25Index<T>(
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
