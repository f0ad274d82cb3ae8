import type { MinedPattern } from "./mined-pattern.js";
import { isStructuralPatternId, structuralPattern } from "./structural-patterns.js";

/** Options of dedupePatterns. */
export interface DedupeOptions {
  topK: number;
  /** See PatternRankingOptions.overlapSupportRatio. */
  overlapSupportRatio: number;
  /** How many errors contain a character n-gram, to tell whether two overlapping n-grams are one phrase. */
  ngramErrorSupport: (text: string) => number | undefined;
  /** A longer term containing a kept one must have an error rate at least this much higher to add anything. */
  specificityMargin?: number;
  /** Labelled documents mined, to tell how likely a kept term is to co-occur with another by chance. */
  documents: number;
  /** Chance level under which "every sampled error also contains the kept term" counts as explained. Default 0.01. */
  cooccurrenceChance?: number;
}

/**
 * Keeps the best of each group of near-identical patterns, walking candidates best first (by z). A candidate is
 * folded into an already kept pattern (and listed in its `aliases`) when:
 * - it is the same text (a word that is also an n-gram);
 * - it contains the kept term without a clearly higher error rate (味道还行 adds nothing to 还行);
 * - it is contained in the kept term and most of its errors are the kept term's errors (行 inside 还行);
 * - it overlaps the kept n-gram and the merged phrase carries most of both (还行 + 行吧 ← 还行吧);
 * - it is, or contains, a trigger word of a kept structural pattern (不过 under contrast);
 * - every one of its (at least 3) sampled errors also contains the kept term, and the kept term is rare enough
 *   that this would happen by chance with probability below `cooccurrenceChance` (share^examples): the candidate's
 *   errors are the kept pattern's errors seen from another angle (服务还 or 环境 in "环境还行，…").
 */
export function dedupePatterns(
  sortedCandidates: readonly MinedPattern[],
  options: DedupeOptions,
): MinedPattern[] {
  const margin = options.specificityMargin ?? 0.1;
  const kept: MinedPattern[] = [];
  for (const candidate of sortedCandidates) {
    if (candidate.kind === "structure") {
      // A structure outranks the trigger words it explains (contrast over 但是), even when they scored first:
      // it takes the place of the first such word and absorbs them all.
      const absorbed = kept.filter((keeper) => isRedundant(keeper, candidate, options, margin));
      if (absorbed.length > 0) {
        const structure = {
          ...candidate,
          aliases: absorbed.flatMap((keeper) => [keeper.id, ...keeper.aliases]),
        };
        kept.splice(kept.indexOf(absorbed[0]!), 1, structure);
        for (const keeper of absorbed.slice(1)) kept.splice(kept.indexOf(keeper), 1);
        continue;
      }
    }
    if (kept.length >= options.topK) break;
    const owner = kept.find((keeper) => isRedundant(candidate, keeper, options, margin));
    if (owner === undefined) kept.push({ ...candidate, aliases: [] });
    else owner.aliases.push(candidate.id);
  }
  return kept;
}

function isRedundant(
  candidate: MinedPattern,
  keeper: MinedPattern,
  options: DedupeOptions,
  margin: number,
): boolean {
  if (candidate.kind === "structure") return false;
  if (keeper.kind === "structure") {
    if (!isStructuralPatternId(keeper.text)) return false;
    return structuralPattern(keeper.text).triggers.some((trigger) => candidate.text.includes(trigger));
  }
  const text = candidate.text;
  const kept = keeper.text;
  if (text === kept) return true;
  if (explainedByCooccurrence(candidate, keeper, options)) return true;
  const ratio = options.overlapSupportRatio;
  if (text.includes(kept)) return candidate.errorRate <= keeper.errorRate + margin;
  if (kept.includes(text)) return keeper.errorSupport >= ratio * candidate.errorSupport;
  const merged = mergeOverlap(kept, text) ?? mergeOverlap(text, kept);
  if (merged === null) return false;
  const mergedErrors = options.ngramErrorSupport(merged) ?? 0;
  return mergedErrors >= ratio * Math.min(candidate.errorSupport, keeper.errorSupport);
}

function explainedByCooccurrence(
  candidate: MinedPattern,
  keeper: MinedPattern,
  options: DedupeOptions,
): boolean {
  const examples = candidate.examples;
  if (examples.length < 3 || candidate.errorSupport > keeper.errorSupport || options.documents === 0)
    return false;
  const share = keeper.support / options.documents;
  if (share ** examples.length >= (options.cooccurrenceChance ?? 0.01)) return false;
  return examples.every((example) => example.text.toLowerCase().includes(keeper.text));
}

/** "还行" + "行吧" → "还行吧" when a suffix of `left` is a prefix of `right`; null otherwise. */
function mergeOverlap(left: string, right: string): string | null {
  for (let overlap = Math.min(left.length, right.length) - 1; overlap >= 1; overlap -= 1) {
    if (left.endsWith(right.slice(0, overlap))) return left + right.slice(overlap);
  }
  return null;
}
