import { normaliseText } from "./segment-text.js";

/** The set of character bigrams of a normalised text (a single character counts as its own "bigram"). */
export function charBigramSet(text: string): Set<string> {
  const chars = [...normaliseText(text)];
  const grams = new Set<string>();
  if (chars.length === 1) grams.add(chars[0]!);
  for (let i = 0; i + 1 < chars.length; i += 1) grams.add(chars[i]! + chars[i + 1]!);
  return grams;
}

/** |A ∩ B| / |A ∪ B|; 1 for two empty sets (two empty texts are the same text). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const gram of small) if (large.has(gram)) shared += 1;
  return shared / (a.size + b.size - shared);
}
