/** The data card written beside an SFT export: what is in it, where it came from, and over which time. Pure. */
import { sftSources, type SftExample, type SftSource } from "./sft-example.js";
import type { SftSplit } from "./split-sft-examples.js";

export interface SftPartCard {
  rows: number;
  bySource: Record<SftSource, number>;
  /** Corrections per gold label, per task: `{ sentiment: { 负面: 12 } }`. */
  byLabel: Record<string, Record<string, number>>;
  byTask: Record<string, number>;
  byPromptVersion: Record<string, number>;
  /** ISO times of the oldest and newest interaction, or null for an empty part. */
  from: string | null;
  to: string | null;
}

export interface SftDataCard {
  format: "chat-jsonl";
  schema: string;
  createdAt: string;
  selection: { task: string | null; since: string | null; minQuality: number; validationShare: number };
  train: SftPartCard;
  validation: SftPartCard;
  duplicatesRemoved: number;
  privacy: string;
}

const increment = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

function partCard(examples: readonly SftExample[]): SftPartCard {
  const bySource = Object.fromEntries(sftSources.map((source) => [source, 0])) as Record<SftSource, number>;
  const byLabel: Record<string, Record<string, number>> = {};
  const byTask: Record<string, number> = {};
  const byPromptVersion: Record<string, number> = {};
  for (const example of examples) {
    bySource[example.source] += 1;
    increment(byTask, example.task);
    increment(byPromptVersion, example.promptVersionId);
    if (example.label !== null) increment((byLabel[example.task] ??= {}), example.label);
  }
  let first = Infinity;
  let last = -Infinity;
  for (const { createdAt } of examples) {
    first = Math.min(first, createdAt);
    last = Math.max(last, createdAt);
  }
  const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
  return {
    rows: examples.length,
    bySource,
    byLabel,
    byTask,
    byPromptVersion,
    from: iso(first),
    to: iso(last),
  };
}

export function sftDataCard(
  split: SftSplit,
  selection: SftDataCard["selection"],
  createdAt: number,
): SftDataCard {
  return {
    format: "chat-jsonl",
    schema: "sft-row.schema.json",
    createdAt: new Date(createdAt).toISOString(),
    selection,
    train: partCard(split.train),
    validation: partCard(split.validation),
    duplicatesRemoved: split.duplicatesRemoved,
    privacy:
      "Rows hold masked text only (e-mail, phone, card, id and address patterns replaced); no session, user or interaction ids.",
  };
}
