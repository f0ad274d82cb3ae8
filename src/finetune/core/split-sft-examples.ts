/**
 * Deduplicates fine-tuning examples and splits them into train and validation by time. Pure.
 * Two examples with the same messages are one; the newest is kept (a later correction wins the data card).
 * The newest `validationShare` of the examples (by interaction time) validate, so the validation set measures what
 * a model trained on the past does on what came after, not on near-copies of its training rows.
 */
import type { SftExample } from "./sft-example.js";

export interface SftSplit {
  train: SftExample[];
  validation: SftExample[];
  duplicatesRemoved: number;
}

export function splitSftExamples(examples: readonly SftExample[], validationShare: number): SftSplit {
  if (!(validationShare >= 0 && validationShare < 1))
    throw new RangeError("validationShare must be in [0, 1)");
  const byMessages = new Map<string, SftExample>();
  for (const example of examples) {
    const key = JSON.stringify(example.row.messages);
    const seen = byMessages.get(key);
    if (!seen || example.createdAt >= seen.createdAt) byMessages.set(key, example);
  }
  const unique = [...byMessages.values()].sort((a, b) => a.createdAt - b.createdAt);
  const validationCount =
    unique.length < 2
      ? 0
      : Math.max(validationShare > 0 ? 1 : 0, Math.round(unique.length * validationShare));
  const cut = unique.length - validationCount;
  return {
    train: unique.slice(0, cut),
    validation: unique.slice(cut),
    duplicatesRemoved: examples.length - unique.length,
  };
}
