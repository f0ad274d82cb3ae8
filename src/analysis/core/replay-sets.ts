import type { TaskAnalysis } from "./analyze-feedback.js";
import type { LabelledExample } from "./labelled-example.js";

/** One input to replay through the engine, with its known gold label. */
export interface ReplayItem {
  /** The interaction id; predictions are keyed by it. */
  id: string;
  input: string;
  gold: string;
  /** What the serving version answered when the interaction happened. */
  recordedPrediction: string | null;
  createdAt: number;
}

/** An operator's named regression set (triage): interactions with the label each must get. */
export interface NamedReplaySet {
  id: string;
  name: string;
  items: ReplayItem[];
}

/** The replay sets of one task. */
export interface ReplaySets {
  /** Time-held-out labelled history (later than anything candidates were built from). */
  heldOut: ReplayItem[];
  /** Held-out cases the current version answered correctly when they happened. */
  regression: ReplayItem[];
  /** The task's named regression sets, replayed in full (an operator chose every item). */
  named: NamedReplaySet[];
  /** heldOut ∪ regression ∪ named items by id: replay each of these once per version (current and every candidate). */
  inputs: ReplayItem[];
}

/** Options of buildReplaySets; replay through a CPU model is slow, so the sets are small. */
export interface ReplaySetOptions {
  /** Default 300. */
  maxHeldOut?: number;
  /** Default 200. */
  maxRegression?: number;
}

/**
 * Picks the replay sets from the held-out examples. When there are more than the maximum, items are taken evenly
 * spread over time (deterministically), so the sets cover the whole held-out period.
 */
export function buildReplaySets(
  analysis: TaskAnalysis,
  options: ReplaySetOptions = {},
  named: readonly NamedReplaySet[] = [],
): ReplaySets {
  const heldOutExamples = analysis.examples.heldOut;
  const heldOut = evenlySpaced(heldOutExamples, options.maxHeldOut ?? 300).map(toReplayItem);
  const regression = evenlySpaced(
    heldOutExamples.filter((example) => example.correct),
    options.maxRegression ?? 200,
  ).map(toReplayItem);
  const inputs = new Map<string, ReplayItem>();
  for (const item of [...heldOut, ...regression, ...named.flatMap((set) => set.items)]) {
    if (!inputs.has(item.id)) inputs.set(item.id, item);
  }
  return {
    heldOut,
    regression,
    named: named.map((set) => ({ ...set, items: [...set.items] })),
    inputs: [...inputs.values()].sort((a, b) => a.createdAt - b.createdAt),
  };
}

function toReplayItem(example: LabelledExample): ReplayItem {
  return {
    id: example.interactionId,
    input: example.text,
    gold: example.gold,
    recordedPrediction: example.predicted,
    createdAt: example.createdAt,
  };
}

function evenlySpaced<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const picked: T[] = [];
  for (let i = 0; i < max; i += 1) picked.push(items[Math.floor((i * items.length) / max)]!);
  return picked;
}
