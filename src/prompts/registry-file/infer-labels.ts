/** What {@link inferLabels} found. */
export interface InferredLabels {
  labels: string[];
  /** The part of the instruction the labels were read from, e.g. `输出只能是'正面'或'负面'`. */
  evidence: string;
}

const openQuotes = `'"‘“「『`;
const closeQuotes = `'"’”」』`;
const quoted = `[${openQuotes}]([^${openQuotes}${closeQuotes}\\n]{1,24})[${closeQuotes}]`;
// Between two quoted labels: 或 / 或者 / 或是 / 和 / 与 / 及 / 、 / ， / "or" / "and" / a slash.
const separator = `\\s*(?:或者|或是|还是|或|和|与|及|、|，|,|/|\\bor\\b|\\band\\b)\\s*(?:(?:或者|或|\\bor\\b)\\s*)?`;
const quotedList = new RegExp(`${quoted}(?:${separator}${quoted})+`, "g");
const quotedItem = new RegExp(quoted, "g");

// A constraint on the output: only/just/must, in Chinese or English.
const constraintCue =
  /只能|只可|只输出|只回答|只回复|只返回|仅输出|仅回答|仅能|只写|必须是|必须为|之一|\bonly\b|\bjust\b|\bmust be\b|\bone of\b/i;
// What the constraint is about: the output, the answer, the label.
const outputCue =
  /输出|回答|回复|返回|判定|判断|标签|结果|output|answer|reply|respond|return|label|say|classify/i;

// English without quotes: "Only output positive or negative", "Answer only with yes or no".
const englishWord = "([A-Za-z][A-Za-z_-]{0,23})";
const englishList = new RegExp(
  `\\b(?:only\\s+(?:output|answer|reply|respond|return|say)(?:\\s+with)?|(?:output|answer|reply|respond|return|say)\\s+only(?:\\s+with)?)` +
    `\\s+${englishWord}((?:\\s*,\\s*[A-Za-z][A-Za-z_-]{0,23})*)\\s*,?\\s+or\\s+${englishWord}\\b`,
  "i",
);
const englishFiller = new Set(["a", "an", "the", "one", "either", "with", "exactly", "just"]);

/** Sentences of an instruction: split at full stops, line breaks and semicolons (not inside a label). */
function sentences(text: string): string[] {
  return text
    .split(/[。！？!?；;\n]|\.(?:\s|$)/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

function quotedLabels(sentence: string): { labels: string[]; evidence: string } | null {
  for (const match of sentence.matchAll(quotedList)) {
    const labels = [...match[0].matchAll(quotedItem)].map((item) => item[1]!.trim()).filter(Boolean);
    if (new Set(labels).size >= 2) return { labels: [...new Set(labels)], evidence: sentence };
  }
  return null;
}

function englishLabels(sentence: string): { labels: string[]; evidence: string } | null {
  const match = englishList.exec(sentence);
  if (match === null) return null;
  const middle = (match[2] ?? "")
    .split(",")
    .map((word) => word.trim())
    .filter(Boolean);
  const labels = [match[1]!, ...middle, match[3]!];
  if (labels.some((label) => englishFiller.has(label.toLowerCase()))) return null;
  const unique = [...new Set(labels)];
  return unique.length >= 2 ? { labels: unique, evidence: sentence } : null;
}

/**
 * Reads a classifier's labels from an instruction that restricts its output, such as the write-up's
 * `输出只能是'正面'或'负面'`, `只输出「正面」或者「负面」`, `回答“是”和“否”之一` or `Only output positive or negative`.
 * A sentence counts only when it both restricts (只能, 只, 仅, must, only, one of …) and talks about the output
 * (输出, 回答, 判定, output, answer …). Returns null when no sentence does, or when two sentences name different
 * label sets (then the file must say `labels:`).
 */
export function inferLabels(systemPrompt: string): InferredLabels | null {
  const found: InferredLabels[] = [];
  for (const sentence of sentences(systemPrompt)) {
    if (!constraintCue.test(sentence) || !outputCue.test(sentence)) continue;
    const labels = quotedLabels(sentence) ?? englishLabels(sentence);
    if (labels !== null) found.push(labels);
  }
  if (found.length === 0) return null;
  const first = found[0]!;
  const sameSet = (other: InferredLabels) =>
    other.labels.length === first.labels.length &&
    other.labels.every((label) => first.labels.includes(label));
  return found.every(sameSet) ? first : null;
}
