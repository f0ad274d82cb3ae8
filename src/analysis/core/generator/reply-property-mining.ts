/**
 * Which reply properties (reply-properties.ts) go with low-quality turns: for each property, how many low-quality
 * turns show it (support), its rate among low- and among high-quality turns, the lift between the two and a
 * two-proportion z. A property becomes a finding (and a rule in a candidate) only with enough support, lift and z.
 * Pure.
 */
import {
  replyProperties,
  replyPropertiesOf,
  type LengthTarget,
  type ReplyProperty,
} from "./reply-properties.js";

/** A scored turn of the generator as the miner sees it. */
export interface ScoredReplyTurn {
  input: string;
  output: string;
  /** A bad turn (isBadTurn). */
  low: boolean;
  /** A clearly good turn (score ≥ highQualityScore, not bad); turns that are neither are left out. */
  high: boolean;
}

/** Score from which a turn counts as high quality for the comparison. */
export const highQualityScore = 0.6;

export interface ReplyPropertyStat {
  property: ReplyProperty;
  /** Low-quality turns showing the property. */
  support: number;
  lowRate: number | null;
  highRate: number | null;
  /** (support + ½) / (low + 1) ÷ (high with it + ½) / (high + 1): smoothed so a zero never divides. */
  lift: number | null;
  /** Two-proportion z (pooled); positive when low-quality turns show it more often. */
  z: number | null;
  /** Whether it is over-represented enough to act on (see the thresholds). */
  finding: boolean;
}

export interface ReplyPropertyMining {
  lowTurns: number;
  highTurns: number;
  lengthTarget: LengthTarget;
  /** Every property, findings first (by z), then the rest in the fixed order. */
  properties: ReplyPropertyStat[];
  thresholds: { minSupport: number; minLift: number; minZ: number };
}

export const defaultPropertyThresholds = { minSupport: 5, minLift: 1.5, minZ: 2.58 };

export function mineReplyProperties(
  turns: readonly ScoredReplyTurn[],
  lengthTarget: LengthTarget,
  thresholds = defaultPropertyThresholds,
): ReplyPropertyMining {
  const lowCounts = new Map<ReplyProperty, number>();
  const highCounts = new Map<ReplyProperty, number>();
  let lowTurns = 0;
  let highTurns = 0;
  for (const turn of turns) {
    if (!turn.low && !turn.high) continue;
    const found = replyPropertiesOf(turn.input, turn.output, lengthTarget);
    const counts = turn.low ? lowCounts : highCounts;
    if (turn.low) lowTurns += 1;
    else highTurns += 1;
    for (const property of found) counts.set(property, (counts.get(property) ?? 0) + 1);
  }
  const stats = replyProperties.map((property) =>
    propertyStat(
      property,
      lowCounts.get(property) ?? 0,
      lowTurns,
      highCounts.get(property) ?? 0,
      highTurns,
      thresholds,
    ),
  );
  const findings = stats.filter((stat) => stat.finding).sort((a, b) => b.z! - a.z!);
  return {
    lowTurns,
    highTurns,
    lengthTarget,
    properties: [...findings, ...stats.filter((stat) => !stat.finding)],
    thresholds,
  };
}

function propertyStat(
  property: ReplyProperty,
  lowWith: number,
  low: number,
  highWith: number,
  high: number,
  thresholds: typeof defaultPropertyThresholds,
): ReplyPropertyStat {
  const lowRate = low === 0 ? null : lowWith / low;
  const highRate = high === 0 ? null : highWith / high;
  const lift = low === 0 || high === 0 ? null : (lowWith + 0.5) / (low + 1) / ((highWith + 0.5) / (high + 1));
  const pooled = low + high === 0 ? 0 : (lowWith + highWith) / (low + high);
  const spread = Math.sqrt(pooled * (1 - pooled) * (1 / Math.max(low, 1) + 1 / Math.max(high, 1)));
  const z = lowRate === null || highRate === null ? null : spread === 0 ? 0 : (lowRate - highRate) / spread;
  return {
    property,
    support: lowWith,
    lowRate,
    highRate,
    lift,
    z,
    finding:
      lowWith >= thresholds.minSupport &&
      lift !== null &&
      lift >= thresholds.minLift &&
      z !== null &&
      z >= thresholds.minZ,
  };
}
