import { findMixedSentiment } from "./mixed-sentiment.js";
import {
  degreeWords,
  lexiconAlternation,
  negativeWords,
  negators,
  positiveWords,
} from "./sentiment-lexicon.js";

export type StructuralPatternId = "contrast" | "negation" | "question" | "sarcasm" | "mixed";

/** A sentence structure that often fools a small model, detected by a regular expression. */
export interface StructuralPattern {
  id: StructuralPatternId;
  /** Short names for reports. */
  name: { zh: string; en: string };
  /** Example markers, shown in reports and quoted by the rules strategy. */
  markers: readonly string[];
  /** Single words that on their own signal the pattern; a mined term equal to or containing one is redundant. */
  triggers: readonly string[];
  /** A broader structure this one narrows down (every mixed-sentiment input has a turn, so mixed refines contrast). */
  refines?: StructuralPatternId;
  /** Finds the first occurrence; the matched text is shown next to examples. */
  find(text: string): string | null;
}

const sentiment = lexiconAlternation([...positiveWords, ...negativeWords]);
const praise = lexiconAlternation([
  "好",
  "棒",
  "不错",
  "满意",
  "优秀",
  "贴心",
  "完美",
  "厉害",
  "周到",
  "专业",
  "给力",
  "快",
  "干净",
  "划算",
]);
const openQuote = "[“\"'‘「『]";
const closeQuote = "[”\"'’」』]";

// 不但…而且 adds rather than turns.
const contrastRegex = /虽然|虽说|尽管|但是|(?<!不)但|可是|不过|却|然而/;
// 不错 and 不过 are words in their own right, not a negated 错 or 过; the lexicon never contains 错 or 过.
// A comparison may sit between the negator and the word: 没有想象中那么差, 不像说的那样好.
const negationRegex = new RegExp(
  `(?:${negators.join("|")})(?:[^，。！？,.!?\\s]{0,4}?(?:那么|这么|那样|想象中|想象的))?(?:${degreeWords.join("|")})?(?:${sentiment})`,
);
const questionRegex = /[？?]|吗|呢|难道|凭什么|怎么会/;
const sarcasmRegex = new RegExp(
  [
    "呵呵",
    "笑死",
    "就这[？?！!。，,…]|就这$",
    `真是${openQuote}[^”"'’」』]{1,4}${closeQuote}`,
    `${openQuote}(?:${praise})${closeQuote}`,
    "太.{1,4}了吧",
    "真行|服了|醉了|厉害了",
  ].join("|"),
);

function firstMatch(regex: RegExp): (text: string) => string | null {
  return (text) => regex.exec(text)?.[0] ?? null;
}

/** The structural patterns the miner looks for, in report order. */
export const structuralPatterns: readonly StructuralPattern[] = [
  {
    id: "contrast",
    name: { zh: "转折", en: "contrast" },
    markers: ["虽然…但是", "不过", "但", "可是", "却", "然而"],
    triggers: ["虽然", "虽说", "尽管", "但是", "但", "可是", "不过", "却", "然而"],
    find: firstMatch(contrastRegex),
  },
  {
    id: "negation",
    name: { zh: "否定+情感词", en: "negated sentiment word" },
    markers: ["不好", "没有想象中好", "不太满意", "不差"],
    triggers: [],
    find: firstMatch(negationRegex),
  },
  {
    id: "question",
    name: { zh: "疑问/反问", en: "question" },
    markers: ["？", "吗", "呢", "难道"],
    triggers: ["吗", "呢", "难道", "凭什么"],
    find: firstMatch(questionRegex),
  },
  {
    id: "sarcasm",
    name: { zh: "反讽", en: "sarcasm marker" },
    markers: ["呵呵", "真是“好”", "太…了吧", "就这", "笑死"],
    triggers: ["呵呵", "笑死", "就这", "真行", "服了", "醉了"],
    find: firstMatch(sarcasmRegex),
  },
  {
    // Its own structure, not a kind of contrast: a rule for it may point elsewhere than the contrast rule.
    id: "mixed",
    name: { zh: "矛盾情绪", en: "mixed sentiment" },
    markers: ["失望，不过还能接受", "好吃但是太贵"],
    triggers: [],
    refines: "contrast",
    find: findMixedSentiment,
  },
];

const byId = new Map(structuralPatterns.map((pattern) => [pattern.id, pattern]));

export function structuralPattern(id: StructuralPatternId): StructuralPattern {
  return byId.get(id)!;
}

export function isStructuralPatternId(id: string): id is StructuralPatternId {
  return byId.has(id as StructuralPatternId);
}

/** The ids of every structural pattern present in a text, in report order. */
export function detectStructuralPatterns(text: string): StructuralPatternId[] {
  const found: StructuralPatternId[] = [];
  for (const pattern of structuralPatterns) if (pattern.find(text) !== null) found.push(pattern.id);
  return found;
}
