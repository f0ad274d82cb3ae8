import type { MinedPattern } from "./mined-pattern.js";
import { isStructuralPatternId, structuralPattern } from "./structural-patterns.js";

/** The part of a pattern needed to test a text against it. */
export type PatternRef = Pick<MinedPattern, "kind" | "text">;

/**
 * What in `text` matches the pattern, or null. Terms match as substrings (case-insensitively): a rule such as
 * "含有'还行'…" applies to any text containing it, whatever the segmentation said.
 */
export function findPatternMatch(pattern: PatternRef, text: string): string | null {
  if (pattern.kind === "structure") {
    return isStructuralPatternId(pattern.text) ? structuralPattern(pattern.text).find(text) : null;
  }
  return text.toLowerCase().includes(pattern.text) ? pattern.text : null;
}

export function matchesAnyPattern(patterns: readonly PatternRef[], text: string): boolean {
  return patterns.some((pattern) => findPatternMatch(pattern, text) !== null);
}
