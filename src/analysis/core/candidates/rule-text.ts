import type { MinedPattern } from "../mined-pattern.js";
import {
  isStructuralPatternId,
  structuralPattern,
  type StructuralPatternId,
} from "../structural-patterns.js";
import { quoteLabel } from "./label-constraint.js";

/** One rule for the prompt, and how to tell the prompt already has it. */
export interface RuleText {
  /** The line appended to the prompt. */
  text: string;
  /** What the rule is about (如果句子包含矛盾情绪, 含有'还行'), stable across runs. */
  lead: string;
  /** What it tells the model (优先判定为'负面'), stable across runs. */
  says: string;
}

/** What each structure is, in words that claim nothing about which label it takes. */
const structureLeads: Record<StructuralPatternId, string> = {
  contrast: "句子包含转折",
  mixed: "句子包含矛盾情绪",
  negation: "句子含有否定的情感词",
  question: "句子是疑问或反问",
  sarcasm: "句子带有讽刺意味的表达",
};

const percent = (share: number) => `${Math.round(share * 100)}%`;
const quoted = (items: readonly string[]) => items.map((item) => `'${item}'`).join("、");

/** Up to two examples of a structure from the inputs users corrected to `label`, else its usual markers. */
function structureExamples(pattern: MinedPattern, id: StructuralPatternId, label: string): string[] {
  const structure = structuralPattern(id);
  const seen = new Set<string>();
  for (const example of pattern.examples) {
    if (example.gold !== label) continue;
    const found = structure.find(example.text);
    if (found !== null && found.length >= 2) seen.add(found);
    if (seen.size === 2) break;
  }
  return seen.size > 0 ? [...seen] : structure.markers.slice(0, 3);
}

/** The label corrected inputs containing a keyword were most often predicted as, among those corrected to `label`. */
function mostPredictedAs(pattern: MinedPattern, label: string): string | null {
  const ways = pattern.directions.filter(
    (direction) => direction.gold === label && direction.predicted !== null,
  );
  return ways[0]?.predicted ?? null;
}

/**
 * The rule for a pattern, pointing where the users' corrections point: the majority corrected label, with its share
 * (`correctedTo`). No rule assumes a direction from language (such as "the part after the turn decides"). Without
 * corrections (only 👎) it can only warn about the label the model gave; null when there is nothing safe to say.
 */
export function ruleFor(pattern: MinedPattern): RuleText | null {
  const corrected = pattern.correctedTo;
  const structure = pattern.kind === "structure" && isStructuralPatternId(pattern.text) ? pattern.text : null;
  if (pattern.kind === "structure" && structure === null) return null;
  if (corrected === null) {
    const predicted = pattern.dominantDirection?.predicted ?? null;
    if (predicted === null) return null;
    const check = `请仔细核对是否确实属于${quoteLabel(predicted)}`;
    const says = `常被误判为${quoteLabel(predicted)}`;
    if (structure !== null) {
      const lead = `如果${structureLeads[structure]}`;
      return { text: `${lead}，注意这类输入${says}，${check}。`, lead, says };
    }
    const lead = `含有${quoteLabel(pattern.text)}`;
    return { text: `${lead}的输入${says}，${check}。`, lead, says };
  }
  const label = quoteLabel(corrected.label);
  const evidence = `（用户纠正中 ${percent(corrected.share)} 为${label}）`;
  if (structure !== null) {
    const lead = `如果${structureLeads[structure]}`;
    const examples = quoted(structureExamples(pattern, structure, corrected.label));
    return {
      text: `${lead}（如${examples}），优先判定为${label}${evidence}。`,
      lead,
      says: `优先判定为${label}`,
    };
  }
  const term = quoteLabel(pattern.text);
  const predicted = mostPredictedAs(pattern, corrected.label);
  const notPredicted = predicted === null ? "" : `，不要仅凭${term}就判定为${quoteLabel(predicted)}`;
  // The users' reason tags may say which structure the term's errors share (e.g. most were tagged 讽刺).
  const tagged = pattern.reasonTags?.structure ?? null;
  const structureNote = tagged === null ? "" : `，这类评论常常${structureLeads[tagged].replace(/^句子/, "")}`;
  return {
    text: `含有${term}的评论通常是${label}${evidence}${structureNote}${notPredicted}。`,
    lead: `含有${term}`,
    says: `通常是${label}`,
  };
}

/** True when a line of the prompt already says this rule (whatever its examples and share were then). */
export function promptHasRule(systemPrompt: string, rule: RuleText): boolean {
  return systemPrompt.split("\n").some((line) => line.includes(rule.lead) && line.includes(rule.says));
}
