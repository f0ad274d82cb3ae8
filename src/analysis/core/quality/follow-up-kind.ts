import { charBigramSet } from "../text-similarity.js";
import type { FollowUpKind } from "./turn-signals.js";

/** Overlap at or above which a follow-up counts as the previous question asked again. */
export const rephraseOverlapThreshold = 0.5;

/**
 * Tells a rephrased or repeated question from one on a new topic by the overlap coefficient of the two user
 * messages' character bigrams (|A ∩ B| / min(|A|, |B|), after NFKC, lower case, no spaces or punctuation): a
 * rephrasing keeps most of the shorter message's bigrams ("怎么申请退款" → "退款怎么申请啊": 0.8), a new topic
 * keeps few ("怎么申请退款" → "今天天气怎么样": 0.2).
 */
export function followUpKind(previousUserText: string, nextUserText: string): FollowUpKind {
  return bigramOverlap(previousUserText, nextUserText) >= rephraseOverlapThreshold ? "rephrase" : "new_topic";
}

/** The overlap coefficient of two texts' character bigrams; 0 when either has none. */
export function bigramOverlap(a: string, b: string): number {
  const left = charBigramSet(a);
  const right = charBigramSet(b);
  const smaller = Math.min(left.size, right.size);
  if (smaller === 0) return 0;
  const [small, large] = left.size <= right.size ? [left, right] : [right, left];
  let shared = 0;
  for (const gram of small) if (large.has(gram)) shared += 1;
  return shared / smaller;
}
