/** Splits a text into words; injected so that tests and other languages can use their own. */
export type WordSegmenter = (text: string) => string[];

/**
 * Word segmentation with ICU (`Intl.Segmenter`, full ICU ships with Node 20). Keeps word-like segments only, in
 * lower case, and drops pure numbers, which are never a reusable pattern.
 */
export function createWordSegmenter(locale = "zh"): WordSegmenter {
  const segmenter = new Intl.Segmenter(locale, { granularity: "word" });
  return (text) => {
    const words: string[] = [];
    for (const segment of segmenter.segment(text)) {
      if (segment.isWordLike !== true) continue;
      const word = segment.segment.toLowerCase();
      if (!digitsOnly.test(word)) words.push(word);
    }
    return words;
  };
}

const digitsOnly = /^[\p{N}.,]+$/u;
const hanRun = /\p{Script=Han}+/gu;
const surrogate = /[\uD800-\uDFFF]/;

/**
 * Calls `visit` for every character n-gram of the given sizes inside runs of Han characters. N-grams never cross
 * punctuation or Latin text: those would be artefacts of how sentences were joined, not patterns.
 */
export function forEachHanNgram(
  text: string,
  sizes: readonly number[],
  visit: (ngram: string, size: number) => void,
): void {
  for (const match of text.matchAll(hanRun)) {
    const run = match[0];
    // Han characters outside the BMP (rare) take two code units; fall back to code points for those runs.
    const chars = surrogate.test(run) ? [...run] : null;
    const length = chars === null ? run.length : chars.length;
    for (const size of sizes) {
      for (let start = 0; start + size <= length; start += 1) {
        visit(
          chars === null ? run.slice(start, start + size) : chars.slice(start, start + size).join(""),
          size,
        );
      }
    }
  }
}

/** The character n-grams of a text (see forEachHanNgram), in order, with repeats. */
export function hanNgrams(text: string, sizes: readonly number[]): string[] {
  const ngrams: string[] = [];
  forEachHanNgram(text, sizes, (ngram) => ngrams.push(ngram));
  return ngrams;
}

/** Canonical form for de-duplication: NFKC (full-width → half-width), lower case, no whitespace or punctuation. */
export function normaliseText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, "");
}
