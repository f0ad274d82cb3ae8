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

// Han characters of the BMP (CJK Extension A and the Unified Ideographs block) get a dense index, so that an
// n-gram of up to three characters is one integer below 2^53: counting n-grams then allocates no strings.
const hanStart = 0x3400;
const hanEnd = 0x9fff;
const hanBase = hanEnd - hanStart + 1;
const yijingStart = 0x4dc0;
const yijingEnd = 0x4dff;
const codeOffsets = [0, 0, hanBase, hanBase + hanBase * hanBase];

function hanIndex(code: number): number {
  return code < hanStart || code > hanEnd || (code >= yijingStart && code <= yijingEnd)
    ? -1
    : code - hanStart;
}

/**
 * Like forEachHanNgram but hands out integer codes (see decodeHanNgram) instead of strings, for sizes 1 to 3, and
 * only for BMP Han characters (Extension A and Unified Ideographs); anything else, including the rare
 * supplementary-plane characters, breaks a run. This is the miner's hot loop.
 */
export function forEachHanNgramCode(
  text: string,
  sizes: readonly number[],
  visit: (code: number) => void,
): void {
  let first = -1;
  let second = -1;
  for (let i = 0; i < text.length; i += 1) {
    const index = hanIndex(text.charCodeAt(i));
    if (index === -1) {
      first = -1;
      second = -1;
      continue;
    }
    for (const size of sizes) {
      if (size === 1) visit(index);
      else if (size === 2 && second !== -1) visit(codeOffsets[2]! + second * hanBase + index);
      else if (size === 3 && first !== -1)
        visit(codeOffsets[3]! + (first * hanBase + second) * hanBase + index);
    }
    first = second;
    second = index;
  }
}

/** The code of a 1–3 character Han string, as forEachHanNgramCode would give it; null if it has none. */
export function encodeHanNgram(text: string): number | null {
  if (text.length < 1 || text.length > 3) return null;
  let value = 0;
  for (let i = 0; i < text.length; i += 1) {
    const index = hanIndex(text.charCodeAt(i));
    if (index === -1) return null;
    value = value * hanBase + index;
  }
  return codeOffsets[text.length]! + value;
}

/** The text of an n-gram code from forEachHanNgramCode. */
export function decodeHanNgram(code: number): string {
  const size = code >= codeOffsets[3]! ? 3 : code >= codeOffsets[2]! ? 2 : 1;
  let value = code - codeOffsets[size]!;
  const chars: number[] = [];
  for (let i = 0; i < size; i += 1) {
    chars.unshift(hanStart + (value % hanBase));
    value = Math.floor(value / hanBase);
  }
  return String.fromCharCode(...chars);
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
