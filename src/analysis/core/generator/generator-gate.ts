/**
 * The offline gate for a generator candidate. The current version and the candidate answer the same replayed
 * user messages (held-out turns, plus the low-quality slice among them); the gate judges the replies only on what
 * needs no judge model:
 * - the reply properties (reply-properties.ts): empty, length against the target, language match, refusals,
 *   repetition, leaked template tokens, markdown — the candidate may not show any of them on more held-out replies
 *   than the current version, beyond a small tolerance (max(1, 5% of the items));
 * - where the user edited the original reply, how close each version's reply comes to the edit (1 − normalised
 *   edit distance): reported, and used to rank passing candidates, never to pass one.
 * What it cannot show: whether replies got better for users. That is left to the canary, which judges the
 * bad-turn rate online. On the tiny test model the replies are noise, so the gate there shows only that the
 * plumbing works. Pure.
 */
import { normalisedEditDistance } from "../quality/turn-signals.js";
import {
  medianChars,
  replyProperties,
  replyPropertiesOf,
  type LengthTarget,
  type ReplyProperty,
} from "./reply-properties.js";

/** One replayed user message. */
export interface GeneratorReplayItem {
  /** The interaction id; replies are keyed by it. */
  id: string;
  input: string;
  /** The user's edit of the original reply, if any. */
  edit: string | null;
  /** The original turn was bad (isBadTurn). */
  lowQuality: boolean;
  createdAt: number;
}

/** Replies by item id; null = the engine failed on the item (counted as an empty reply). */
export type GeneratorReplies = Readonly<Record<string, string | null>>;

export interface ReplySetStats {
  items: number;
  /** Replies showing each property. */
  properties: Record<ReplyProperty, number>;
  /** Replies showing at least one property. */
  withProblems: number;
  medianChars: number | null;
  failures: number;
}

export interface PropertyCheck {
  property: ReplyProperty;
  current: number;
  candidate: number;
  /** How many more the candidate may show. */
  allowed: number;
  regressed: boolean;
}

export interface GeneratorGateResult {
  pass: boolean;
  reason: string;
  lengthTarget: LengthTarget;
  heldOut: { current: ReplySetStats; candidate: ReplySetStats };
  lowQuality: { current: ReplySetStats; candidate: ReplySetStats };
  checks: PropertyCheck[];
  /** The properties the candidate targets, on the low-quality slice: fewer is better. */
  targeted: { properties: ReplyProperty[]; current: number; candidate: number };
  /** Mean similarity to the user's edit over the items with one (null without). */
  editSimilarity: { items: number; current: number | null; candidate: number | null; delta: number | null };
  /** What the gate does not show, for the report. */
  limits: string;
}

export const generatorGateLimits =
  "The gate checks only what needs no judge (reply properties against the current version, closeness to users' edits); whether users like the replies better is left to the canary's bad-turn rate.";

export interface GeneratorGateInput {
  items: readonly GeneratorReplayItem[];
  current: GeneratorReplies;
  candidate: GeneratorReplies;
  lengthTarget: LengthTarget;
  targetProperties: readonly ReplyProperty[];
  /** Share of the items by which a property may rise (at least 1 item). Default 0.05. */
  tolerance?: number;
}

function setStats(
  items: readonly GeneratorReplayItem[],
  replies: GeneratorReplies,
  target: LengthTarget,
): ReplySetStats {
  const properties = Object.fromEntries(replyProperties.map((p) => [p, 0])) as Record<ReplyProperty, number>;
  let withProblems = 0;
  let failures = 0;
  const texts: string[] = [];
  for (const item of items) {
    const reply = replies[item.id] ?? null;
    if (reply === null) failures += 1;
    const found = replyPropertiesOf(item.input, reply ?? "", target);
    for (const property of found) properties[property] += 1;
    if (found.size > 0) withProblems += 1;
    texts.push(reply ?? "");
  }
  return { items: items.length, properties, withProblems, medianChars: medianChars(texts), failures };
}

function meanEditSimilarity(items: readonly GeneratorReplayItem[], replies: GeneratorReplies): number | null {
  const edited = items.filter((item) => item.edit !== null);
  if (edited.length === 0) return null;
  let sum = 0;
  for (const item of edited) sum += 1 - normalisedEditDistance(replies[item.id] ?? "", item.edit!);
  return sum / edited.length;
}

export function decideGeneratorGate(input: GeneratorGateInput): GeneratorGateResult {
  const target = input.lengthTarget;
  const low = input.items.filter((item) => item.lowQuality);
  const heldOut = {
    current: setStats(input.items, input.current, target),
    candidate: setStats(input.items, input.candidate, target),
  };
  const lowQuality = {
    current: setStats(low, input.current, target),
    candidate: setStats(low, input.candidate, target),
  };
  const allowed = Math.max(1, Math.round((input.tolerance ?? 0.05) * input.items.length));
  const checks: PropertyCheck[] = replyProperties.map((property) => {
    const current = heldOut.current.properties[property];
    const candidate = heldOut.candidate.properties[property];
    return { property, current, candidate, allowed, regressed: candidate - current > allowed };
  });
  const sum = (stats: ReplySetStats) =>
    input.targetProperties.reduce((total, property) => total + stats.properties[property], 0);
  const currentSimilarity = meanEditSimilarity(input.items, input.current);
  const candidateSimilarity = meanEditSimilarity(input.items, input.candidate);
  const edited = input.items.filter((item) => item.edit !== null).length;
  const regressed = checks.filter((check) => check.regressed);
  const pass = input.items.length > 0 && regressed.length === 0;
  const reason =
    input.items.length === 0
      ? "no held-out turn to replay"
      : pass
        ? `no reply property rose by more than ${allowed} of ${input.items.length} held-out replies`
        : `more held-out replies with ${regressed.map((c) => `${c.property} (${c.current} → ${c.candidate})`).join(", ")} than allowed (+${allowed})`;
  return {
    pass,
    reason,
    lengthTarget: target,
    heldOut,
    lowQuality,
    checks,
    targeted: {
      properties: [...input.targetProperties],
      current: sum(lowQuality.current),
      candidate: sum(lowQuality.candidate),
    },
    editSimilarity: {
      items: edited,
      current: currentSimilarity,
      candidate: candidateSimilarity,
      delta:
        currentSimilarity === null || candidateSimilarity === null
          ? null
          : candidateSimilarity - currentSimilarity,
    },
    limits: generatorGateLimits,
  };
}

/** Orders passing results best first: fewer targeted problems on the low slice, then closer to the edits. */
export function generatorGateGain(result: GeneratorGateResult): number {
  const slice = Math.max(1, result.lowQuality.current.items);
  return (result.targeted.current - result.targeted.candidate) / slice + (result.editSimilarity.delta ?? 0);
}
