/** Quotes a label the way the write-up's prompts do: '正面'. */
export function quoteLabel(label: string): string {
  return `'${label}'`;
}

/** The sentence every classifier prompt ends with, e.g. "只能输出'正面'或'负面'，不要输出其他内容。" */
export function labelConstraintSentence(labels: readonly string[]): string {
  const quoted = labels.map(quoteLabel);
  const list =
    quoted.length <= 2 ? quoted.join("或") : `${quoted.slice(0, -1).join("、")}或${quoted.at(-1)!}`;
  return `只能输出${list}，不要输出其他内容。`;
}

const constraintWords = /只能|只输出|仅输出|只回答|仅回答|之一|only/i;

/** Whether a prompt still tells the model to answer with one of the labels (each label named, plus "only"). */
export function keepsLabelConstraint(prompt: string, labels: readonly string[]): boolean {
  return labels.every((label) => prompt.includes(label)) && constraintWords.test(prompt);
}
