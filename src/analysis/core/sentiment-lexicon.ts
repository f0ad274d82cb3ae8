/**
 * A small hand-made Chinese sentiment lexicon for reviews (hotels, food delivery, shopping). It only has to be good
 * enough to spot structures (negated sentiment, mixed feelings) and to drive the baseline predictor of
 * scripts/mine-dataset.ts; the model does the actual classification.
 */
export const positiveWords: readonly string[] = [
  "好",
  "不错",
  "满意",
  "喜欢",
  "推荐",
  "干净",
  "方便",
  "舒服",
  "舒适",
  "值得",
  "好吃",
  "美味",
  "热情",
  "周到",
  "棒",
  "赞",
  "划算",
  "实惠",
  "新鲜",
  "快",
  "准时",
  "安静",
  "宽敞",
  "漂亮",
  "贴心",
  "专业",
  "优秀",
  "完美",
  "给力",
  "精致",
  "好评",
  "惊喜",
  "温馨",
  "细心",
  "耐心",
  "便宜",
  "香",
  "可口",
  "丰富",
  "超值",
  "到位",
  "放心",
  // Acceptance: 还能接受, 可以接受 (the write-up's 「失望，不过还能接受」); 不能接受 is negated like any other word.
  "接受",
  "还行",
  "凑合",
];

export const negativeWords: readonly string[] = [
  "差",
  "慢",
  "贵",
  "脏",
  "难吃",
  "失望",
  "糟糕",
  "垃圾",
  "冷",
  "凉",
  "吵",
  "坑",
  "后悔",
  "旧",
  "破",
  "臭",
  "恶心",
  "难受",
  "烂",
  "敷衍",
  "态度差",
  "不满",
  "投诉",
  "退款",
  "难闻",
  "油腻",
  "咸",
  "潮湿",
  "霉",
  "噪音",
  "差评",
  "骗",
  "拖",
  "漏",
  "坏",
  "无语",
  "郁闷",
  "生气",
  "麻烦",
  "简陋",
];

/** Negators that flip the sentiment word right after them (optionally through a degree word). */
export const negators: readonly string[] = ["没有", "不", "没", "别", "无", "非"];

/** Degree words allowed between a negator and the sentiment word, e.g. 不太好, 没那么差. */
export const degreeWords: readonly string[] = [
  "太",
  "很",
  "怎么",
  "是很",
  "够",
  "算",
  "那么",
  "大",
  "是",
  "如",
];

export type LexiconPolarity = "positive" | "negative";

/** Sentiment words sorted longest first, so that alternations prefer 难吃 over 难 and 态度差 over 差. */
export function lexiconAlternation(words: readonly string[]): string {
  return [...words]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map(escapeRegExp)
    .join("|");
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
