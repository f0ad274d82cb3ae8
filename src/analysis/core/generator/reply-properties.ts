/**
 * Properties of a generated reply that can be checked without a judge: emptiness, length against a target,
 * a language that differs from the user's, refusals and apologies, repetition, leaked chat-template tokens and
 * markdown in plain chat. The reply-property miner compares how often low- and high-quality turns show each one,
 * and the generator gate checks that a candidate does not show them more often than the current version. Pure.
 */

export const replyProperties = [
  "empty",
  "too_long",
  "too_short",
  "language_mismatch",
  "refusal",
  "repetition",
  "template_leak",
  "markdown",
] as const;
export type ReplyProperty = (typeof replyProperties)[number];

/** The length a reply should have, in characters (code points); too_long / too_short are judged against it. */
export interface LengthTarget {
  /** Typical accepted length: the median of users' edited replies, else of high-quality replies. */
  chars: number;
  /** Where the target came from. */
  source: "edits" | "high_quality" | "default";
}

/** Used while the data gives no target: about what a phone screen shows without scrolling. */
export const defaultLengthTarget: LengthTarget = { chars: 120, source: "default" };

/** A reply longer than this many times the target is too long; shorter than target ÷ this, too short. */
export const lengthTolerance = 2.5;

type Language = "zh" | "en" | "other";

const han = /\p{Script=Han}/u;
const latin = /[A-Za-z]/;
const otherLetter = /\p{L}/u;

/** The dominant script of a text's letters, or null without letters (digits, emoji, punctuation only). */
export function dominantLanguage(text: string): Language | null {
  let zh = 0;
  let en = 0;
  let other = 0;
  for (const char of text) {
    if (han.test(char)) zh += 1;
    else if (latin.test(char)) en += 1;
    else if (otherLetter.test(char)) other += 1;
  }
  // A Latin word costs several letters where Chinese spends one character: weigh Latin letters by a quarter.
  const weighted = { zh, en: en / 4, other };
  const total = weighted.zh + weighted.en + weighted.other;
  if (total === 0) return null;
  const [best] = (Object.entries(weighted) as [Language, number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best;
}

const refusal =
  /(抱歉|对不起|很遗憾|无法(回答|提供|帮助|满足)|不能(回答|提供|帮助)|作为一个?(AI|人工智能|语言模型)|I['’]m sorry|I am sorry|I (cannot|can['’]t|am unable to) (help|answer|provide|assist)|as an AI)/i;
const templateLeak =
  /(<\|[a-z_]{2,20}\|>|\[\/?INST\]|<<\/?SYS>>|<\/?s>|^\s*(assistant|user|system)\s*[:：\n])/im;
const markdown = /(^#{1,6}\s|\*\*[^*\n]+\*\*|^```|^\s*\|.+\|\s*$|^\s*[-*+]\s+\S|^\s*\d+\.\s+\S)/m;

/** The number of code points. */
export function charCount(text: string): number {
  return [...text].length;
}

/**
 * Repetition: a sentence (4+ characters) said twice, or, for replies of 40+ characters, fewer than half of the
 * 4-character windows being distinct (a loop the model fell into).
 */
export function isRepetitive(text: string): boolean {
  const sentences = text
    .split(/[。！？!?.\n；;]+/)
    .map((sentence) => sentence.replace(/\s+/g, "").toLowerCase())
    .filter((sentence) => charCount(sentence) >= 4);
  if (new Set(sentences).size < sentences.length) return true;
  const chars = [...text.replace(/\s+/g, "")];
  if (chars.length < 40) return false;
  const windows = new Set<string>();
  for (let i = 0; i + 4 <= chars.length; i++) windows.add(chars.slice(i, i + 4).join(""));
  return windows.size < (chars.length - 3) / 2;
}

/** The properties a reply to `userMessage` shows. */
export function replyPropertiesOf(
  userMessage: string,
  reply: string,
  target: LengthTarget = defaultLengthTarget,
): Set<ReplyProperty> {
  const found = new Set<ReplyProperty>();
  const text = reply.trim();
  if (text === "") {
    found.add("empty");
    return found;
  }
  const chars = charCount(text);
  if (chars > target.chars * lengthTolerance) found.add("too_long");
  if (chars < target.chars / lengthTolerance) found.add("too_short");
  const asked = dominantLanguage(userMessage);
  const answered = dominantLanguage(text);
  if (asked !== null && answered !== null && asked !== answered) found.add("language_mismatch");
  if (refusal.test(text)) found.add("refusal");
  if (isRepetitive(text)) found.add("repetition");
  if (templateLeak.test(text)) found.add("template_leak");
  if (markdown.test(text)) found.add("markdown");
  return found;
}

/** The median of the lengths (code points) of the texts, or null for none. */
export function medianChars(texts: readonly string[]): number | null {
  if (texts.length === 0) return null;
  const lengths = texts.map((text) => charCount(text.trim())).sort((a, b) => a - b);
  const middle = Math.floor(lengths.length / 2);
  return lengths.length % 2 === 1 ? lengths[middle]! : (lengths[middle - 1]! + lengths[middle]!) / 2;
}

/** Fewest texts a median must rest on before it replaces the next source. */
const minTargetTexts = 5;

/** The length target: the median of users' edits (5+), else of high-quality replies (5+), else the default. */
export function lengthTargetOf(
  edits: readonly string[],
  highQualityReplies: readonly string[],
): LengthTarget {
  const fromEdits = edits.length >= minTargetTexts ? medianChars(edits) : null;
  if (fromEdits !== null && fromEdits > 0) return { chars: fromEdits, source: "edits" };
  const fromHigh = highQualityReplies.length >= minTargetTexts ? medianChars(highQualityReplies) : null;
  if (fromHigh !== null && fromHigh > 0) return { chars: fromHigh, source: "high_quality" };
  return defaultLengthTarget;
}
