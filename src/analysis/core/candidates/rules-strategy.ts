import type { MinedPattern } from "../mined-pattern.js";
import type { StructuralPatternId } from "../structural-patterns.js";
import type { CandidateContext, CandidatePrompt, CandidateStrategy } from "./candidate-prompt.js";
import { directionText, patternEvidence } from "./describe-pattern.js";
import { labelConstraintSentence, quoteLabel } from "./label-constraint.js";

/** Options of the rules strategy. */
export interface RulesStrategyOptions {
  /** Most rules appended. Default 3: a 0.5B model follows a few short rules, not a list. */
  maxRules?: number;
  /** Only patterns at least this significant get a rule. Default 2.58 (1% level). */
  minZ?: number;
  /** The dominant direction must cover at least this share of the pattern's errors. Default 0.6. */
  minDirectionShare?: number;
  /**
   * A keyword rule says "含有X的评论通常是Y", which flips every such input predicted the other way; so at least this
   * share of ALL labelled inputs containing X must be errors in that direction. Structural rules only say which
   * label to prefer when in doubt and need just minDirectionShare. Default 0.6.
   */
  minKeywordPrecision?: number;
}

export const rulesSectionTitle = "补充规则（根据用户纠正总结）：";

/**
 * Appends targeted instructions in Chinese for the top error patterns, each pointing the way the data shows
 * (the write-up's v2, "如果句子包含矛盾情绪（如'失望但能接受'），优先判定为'负面'", is one such rule), then restates
 * the label constraint. The original prompt, including its own constraint, is kept verbatim.
 */
export function createRulesStrategy(options: RulesStrategyOptions = {}): CandidateStrategy {
  const maxRules = options.maxRules ?? 3;
  const minZ = options.minZ ?? 2.58;
  const minShare = options.minDirectionShare ?? 0.6;
  const minPrecision = options.minKeywordPrecision ?? 0.6;
  return {
    name: "rules",
    propose(context: CandidateContext): CandidatePrompt | null {
      const chosen: { pattern: MinedPattern; rule: string }[] = [];
      for (const pattern of context.patterns) {
        if (chosen.length >= maxRules) break;
        const direction = pattern.dominantDirection;
        if (pattern.zScore < minZ || direction === null || direction.share < minShare) continue;
        if (pattern.kind !== "structure" && direction.count / pattern.support < minPrecision) continue;
        const rule = ruleFor(pattern, direction.predicted, direction.gold);
        if (rule !== null && !context.current.systemPrompt.includes(rule)) chosen.push({ pattern, rule });
      }
      if (chosen.length === 0) {
        return context.skip(
          `no pattern with z ≥ ${minZ} and a dominant direction covering ≥ ${Math.round(minShare * 100)}% of its errors ` +
            `(keywords: ≥ ${Math.round(minPrecision * 100)}% of all inputs containing them)`,
        );
      }
      const rules = chosen.map(({ rule }, index) => `${index + 1}. ${rule}`);
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
          ...chosen.map(({ pattern }) => {
            const direction = pattern.dominantDirection!;
            return `appended a rule for ${pattern.title} (${directionText(direction.predicted, direction.gold)})`;
          }),
          "restated the label constraint after the rules",
        ],
        rationale: chosen.map(({ pattern }) => patternEvidence(pattern, context.baseErrorRate)).join("; "),
        targetPatterns: chosen.map(({ pattern }) => pattern.id),
      };
    },
  };
}

const structureRules: Record<StructuralPatternId, (gold: string) => string> = {
  contrast: (gold) =>
    `如果句子包含转折（如'虽然…但是'、'不过'、'可是'），以转折后的内容为准；这类句子难以判断时，优先判定为${quoteLabel(gold)}。`,
  negation: (gold) =>
    `注意否定词（不、没、没有、别、无、非）会反转后面词语的情感，如'不好吃'、'没有想象中好'；这类句子难以判断时，优先判定为${quoteLabel(gold)}。`,
  question: (gold) =>
    `反问句和疑问句（如'难道…吗'、'这也叫…吗？'）常表达与字面相反的情绪；这类句子难以判断时，优先判定为${quoteLabel(gold)}。`,
  sarcasm: (gold) =>
    `带有讽刺意味的表达（如'呵呵'、带引号的'好'、'太…了吧'、'就这'）通常是${quoteLabel(gold)}。`,
  mixed: (gold) => `如果句子包含矛盾情绪（如'失望但能接受'），优先判定为${quoteLabel(gold)}。`,
};

/** The rule text for one pattern and direction; null when there is nothing safe to say. */
export function ruleFor(pattern: MinedPattern, predicted: string | null, gold: string | null): string | null {
  if (pattern.kind === "structure") {
    const build = structureRules[pattern.text as StructuralPatternId] as
      ((gold: string) => string) | undefined;
    if (build === undefined) return null;
    if (gold !== null) return build(gold);
    return predicted === null
      ? null
      : `${structureCaution(pattern)}常被误判为${quoteLabel(predicted)}，请仔细核对。`;
  }
  const term = quoteLabel(pattern.text);
  if (gold !== null) {
    const notPredicted = predicted === null ? "" : `，不要仅凭${term}就判定为${quoteLabel(predicted)}`;
    return `含有${term}的评论通常是${quoteLabel(gold)}${notPredicted}。`;
  }
  return predicted === null
    ? null
    : `含有${term}的输入常被误判为${quoteLabel(predicted)}，请仔细核对是否确实属于${quoteLabel(predicted)}。`;
}

function structureCaution(pattern: MinedPattern): string {
  return `${pattern.title.split(" ")[0]}类的句子`;
}
