import type { MinedPattern } from "../mined-pattern.js";
import { isStructuralPatternId, structuralPattern } from "../structural-patterns.js";
import type { CandidateContext, CandidatePrompt, CandidateStrategy } from "./candidate-prompt.js";
import { correctionEvidence, patternEvidence } from "./describe-pattern.js";
import { labelConstraintSentence } from "./label-constraint.js";
import { promptHasRule, ruleFor, type RuleText } from "./rule-text.js";

/** Options of the rules strategy. */
export interface RulesStrategyOptions {
  /** Most rules appended. Default 3: a 0.5B model follows a few short rules, not a list. */
  maxRules?: number;
  /** Only patterns at least this significant get a rule. Default 2.58 (1% level). */
  minZ?: number;
  /**
   * The label users corrected the pattern's inputs to must have at least this share of its corrections (for a
   * pattern with only 👎, the model's most frequent wrong label this share of its errors). Default 0.6.
   */
  minDirectionShare?: number;
  /**
   * A keyword rule says "含有X的评论通常是Y", which flips every such input predicted the other way; so at least this
   * share of ALL labelled inputs containing X must be corrections to Y. Structural rules only say which label to
   * prefer when in doubt and need just minDirectionShare. Default 0.6.
   */
  minKeywordPrecision?: number;
}

export const rulesSectionTitle = "补充规则（根据用户纠正总结）：";

/**
 * Appends targeted instructions in Chinese for the top error patterns, each pointing where the users' corrections
 * point, with their share (the write-up's v2, "如果句子包含矛盾情绪（如'失望但能接受'），优先判定为'负面'", is one such
 * rule when users correct those inputs to 负面), then restates the label constraint. The original prompt, including
 * its own constraint, is kept verbatim; a rule the prompt already has is not added again.
 */
export function createRulesStrategy(options: RulesStrategyOptions = {}): CandidateStrategy {
  const maxRules = options.maxRules ?? 3;
  const minZ = options.minZ ?? 2.58;
  const minShare = options.minDirectionShare ?? 0.6;
  const minPrecision = options.minKeywordPrecision ?? 0.6;
  return {
    name: "rules",
    propose(context: CandidateContext): CandidatePrompt | null {
      const eligible: { pattern: MinedPattern; rule: RuleText }[] = [];
      for (const pattern of context.patterns) {
        if (pattern.zScore < minZ || !agreed(pattern, minShare, minPrecision)) continue;
        const rule = ruleFor(pattern);
        if (rule !== null && !promptHasRule(context.current.systemPrompt, rule))
          eligible.push({ pattern, rule });
      }
      const chosen = withoutCoveredBroaderRules(eligible).slice(0, maxRules);
      if (chosen.length === 0) {
        return context.skip(
          `no pattern with z ≥ ${minZ} whose users' corrections agree on a label (≥ ${Math.round(minShare * 100)}% ` +
            `of its corrections; keywords: ≥ ${Math.round(minPrecision * 100)}% of all inputs containing them)`,
        );
      }
      const rules = chosen.map(({ rule }, index) => `${index + 1}. ${rule.text}`);
      const systemPrompt = [
        context.current.systemPrompt.trimEnd(),
        "",
        rulesSectionTitle,
        ...rules,
        labelConstraintSentence(context.task.labels),
      ].join("\n");
      return {
        strategy: "rules",
        systemPrompt,
        ...(context.current.params === undefined ? {} : { params: context.current.params }),
        ...(context.current.fewShot === undefined ? {} : { fewShot: context.current.fewShot }),
        ...(context.current.retrieval === undefined ? {} : { retrieval: context.current.retrieval }),
        changes: [
          ...chosen.map(
            ({ pattern }) => `appended a rule for ${pattern.title} (${correctionEvidence(pattern)})`,
          ),
          "restated the label constraint after the rules",
        ],
        rationale: chosen.map(({ pattern }) => patternEvidence(pattern, context.baseErrorRate)).join("; "),
        targetPatterns: chosen.map(({ pattern }) => pattern.id),
      };
    },
  };
}

/**
 * Whether the data agrees on a direction: the corrected label's share of the corrections (or, with only 👎, the
 * model's most frequent wrong label's share of the errors), and for a keyword its share of every input containing it.
 */
function agreed(pattern: MinedPattern, minShare: number, minPrecision: number): boolean {
  const corrected = pattern.correctedTo;
  const share = corrected?.share ?? pattern.dominantDirection?.share ?? 0;
  const count = corrected?.count ?? pattern.dominantDirection?.count ?? 0;
  if (share < minShare) return false;
  return pattern.kind === "structure" || count / pattern.support >= minPrecision;
}

/**
 * Drops a broad structure's rule when a narrower structure that refines it (mixed sentiment within contrast) points
 * the same way and holds at least 80% of its errors: the narrow rule says the same about nearly the same inputs
 * without touching the turns that carry no mixed feelings.
 */
function withoutCoveredBroaderRules<T extends { pattern: MinedPattern }>(entries: readonly T[]): T[] {
  return entries.filter(({ pattern: broad }) => {
    if (broad.kind !== "structure") return true;
    return !entries.some(({ pattern: narrow }) => {
      if (narrow.kind !== "structure" || !isStructuralPatternId(narrow.text)) return false;
      if (structuralPattern(narrow.text).refines !== broad.text) return false;
      return (
        narrow.correctedTo?.label === broad.correctedTo?.label &&
        narrow.errorSupport >= 0.8 * broad.errorSupport
      );
    });
  });
}
