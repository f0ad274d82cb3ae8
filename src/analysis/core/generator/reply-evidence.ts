/**
 * What the chat candidates are built from, for a generator's current version: the sampled scored turns split by
 * time into a pool (earlier; mined for reply properties and edit exemplars) and a holdout (later; replayed by the
 * generator gate, so a candidate is never judged on the turns it learned from). Pure.
 */
import { fusedQualityScore, isBadTurn, type QualityWeights } from "../quality/quality-score.js";
import type { TurnSignals } from "../quality/turn-signals.js";
import { selectEditExemplars, type ExemplarSelection } from "./edit-exemplars.js";
import type { GeneratorReplayItem } from "./generator-gate.js";
import { lengthTargetOf, type LengthTarget } from "./reply-properties.js";
import { highQualityScore, mineReplyProperties, type ReplyPropertyMining } from "./reply-property-mining.js";

/** A sampled scored turn of the current version, with its reply and the user's edit. */
export interface ReplyTurn {
  interactionId: string;
  input: string;
  output: string | null;
  /** The user's latest edit of the reply, if any. */
  editText: string | null;
  createdAt: number;
  signals: TurnSignals;
}

export interface ReplyEvidence {
  /** Turns with a reply in the pool and in the holdout. */
  poolTurns: number;
  heldOutTurns: number;
  /** epoch ms: turns at or after it are held out (null when there are too few turns to split). */
  holdoutCutoff: number | null;
  lengthTarget: LengthTarget;
  properties: ReplyPropertyMining;
  exemplars: ExemplarSelection;
  /** The held-out turns, oldest first, for the gate (not part of the report). */
  replayItems: GeneratorReplayItem[];
}

export interface ReplyEvidenceOptions {
  /** Share of the turns (by time) held out. Default 0.3. */
  holdoutFraction?: number;
  mask: (text: string) => string;
}

/** Fewest turns with a reply before a holdout is split off (below it everything is pool). */
const minTurnsToSplit = 10;

export function replyEvidence(
  turns: readonly ReplyTurn[],
  weights: QualityWeights,
  options: ReplyEvidenceOptions,
): ReplyEvidence {
  const withReply = turns
    .filter((turn) => turn.output !== null)
    .sort((a, b) => a.createdAt - b.createdAt || (a.interactionId < b.interactionId ? -1 : 1));
  const cut =
    withReply.length < minTurnsToSplit
      ? withReply.length
      : Math.floor(withReply.length * (1 - (options.holdoutFraction ?? 0.3)));
  const holdoutCutoff = cut < withReply.length ? withReply[cut]!.createdAt : null;
  // Turns created at the cutoff instant all go to the holdout, so no turn is on both sides of the time line.
  const pool =
    holdoutCutoff === null ? withReply : withReply.filter((turn) => turn.createdAt < holdoutCutoff);
  const later = holdoutCutoff === null ? [] : withReply.filter((turn) => turn.createdAt >= holdoutCutoff);
  const judged = (turn: ReplyTurn) => {
    const score = fusedQualityScore(turn.signals, weights)!;
    const low = isBadTurn(turn.signals, score);
    return { low, high: !low && score >= highQualityScore };
  };
  const scoredPool = pool.map((turn) => ({ turn, ...judged(turn) }));
  const edits = pool.filter((turn) => turn.editText !== null).map((turn) => turn.editText!);
  const lengthTarget = lengthTargetOf(
    edits,
    scoredPool.filter((entry) => entry.high).map((entry) => entry.turn.output!),
  );
  return {
    poolTurns: pool.length,
    heldOutTurns: later.length,
    holdoutCutoff,
    lengthTarget,
    properties: mineReplyProperties(
      scoredPool.map(({ turn, low, high }) => ({ input: turn.input, output: turn.output!, low, high })),
      lengthTarget,
    ),
    exemplars: selectEditExemplars(
      pool
        .filter((turn) => turn.editText !== null)
        .map((turn) => ({
          interactionId: turn.interactionId,
          input: turn.input,
          output: turn.output!,
          edit: turn.editText!,
          createdAt: turn.createdAt,
        })),
      { mask: options.mask, lengthTarget },
    ),
    replayItems: later.map((turn) => ({
      id: turn.interactionId,
      input: turn.input,
      edit: turn.editText,
      lowQuality: judged(turn).low,
      createdAt: turn.createdAt,
    })),
  };
}

/**
 * The items a gate replays: at most `max`, the low-quality ones first (up to half), then the others, each group
 * spread evenly over time so the choice never depends on sampling order.
 */
export function chooseReplayItems(items: readonly GeneratorReplayItem[], max: number): GeneratorReplayItem[] {
  if (items.length <= max) return [...items];
  const low = items.filter((item) => item.lowQuality);
  const rest = items.filter((item) => !item.lowQuality);
  const lowTaken = spread(low, Math.min(low.length, Math.ceil(max / 2)));
  const restTaken = spread(rest, Math.min(rest.length, max - lowTaken.length));
  return [...lowTaken, ...restTaken].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

function spread<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  const taken: T[] = [];
  for (let i = 0; i < count; i++) taken.push(items[Math.floor((i * items.length) / count)]!);
  return taken;
}
