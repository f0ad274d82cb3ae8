/**
 * The quality half of the analysis, for every task: the fused score per version × window with intervals, the
 * implicit signals (dwell relative to reading time, follow-up kinds, exits, copies, edits), the fit of the score's
 * weights, and, for generators, the user messages over-represented among low-quality turns. Pure and streaming
 * (bounded samples); feed it the turns the turn linker releases.
 */
import type { ErrorMiningResult, PatternRankingOptions } from "../error-miner.js";
import { createErrorMiner } from "../error-miner.js";
import { twoSidedZ } from "../normal-quantile.js";
import { proportionInterval } from "../proportion-interval.js";
import { createReservoirSample } from "../reservoir-sample.js";
import { createWordSegmenter, type WordSegmenter } from "../segment-text.js";
import type { RandomSource } from "../../../statistics/seeded-random.js";
import { fitQualityWeights, type QualityFit, type RatedTurn } from "./fit-quality-weights.js";
import { expectedReadingMs, fusedQualityScore, isBadTurn, type QualityWeights } from "./quality-score.js";
import type { IgnoredFollowUpReason } from "./turn-linker.js";
import type { TurnSignals } from "./turn-signals.js";
import { replyEvidence, type ReplyEvidence, type ReplyTurn } from "../generator/reply-evidence.js";

/** One turn as the quality fold sees it. */
export interface QualityTurn {
  interactionId: string;
  promptVersionId: string;
  /** The user's message. */
  input: string;
  sessionHash: string | null;
  createdAt: number;
  signals: TurnSignals;
  /** The model's reply (null when not stored). */
  output: string | null;
  /** The user's latest edit of the reply, if any. */
  editText: string | null;
  /** Whether the version is the one mining looks at (the task's current version). */
  current: boolean;
}

export interface QualityAnalysisOptions {
  random: RandomSource;
  /** Word segmentation for the low-quality miner. Default ICU (zh). */
  segmentWords?: WordSegmenter;
  bucketMs: number;
  bucketOffsetMs?: number;
  confidence?: number;
  /** Rated turns kept for the fit (uniform sample). Default 20 000. */
  fitSampleSize?: number;
  /** Scored turns of the current version kept for low-quality mining (uniform sample). Default 20 000. Generators only. */
  miningSampleSize?: number;
  /** Mine low-quality user messages (generators). */
  mine: boolean;
  ranking?: PatternRankingOptions;
  /** Masks personal data in exemplars (the shell passes redactPersonalData). Default: none. */
  mask?: (text: string) => string;
  /** Share of the mined turns (by time) the generator gate replays. Default 0.3. */
  holdoutFraction?: number;
}

/** Score and bad-turn rate of one version × window (bucketStart null: the whole run), with the prior weights. */
export interface QualityRow {
  promptVersionId: string;
  bucketStart: number | null;
  turns: number;
  /** Turns with a score (any signal at all). */
  scored: number;
  meanScore: number | null;
  meanScoreLow: number | null;
  meanScoreHigh: number | null;
  badTurns: number;
  badTurnRate: number | null;
  badTurnRateLow: number | null;
  badTurnRateHigh: number | null;
}

/** The implicit signals of the task's turns. */
export interface ImplicitSignalSummary {
  turns: number;
  /** Turns with dwell, by visible time ÷ expected reading time (1.5 s + 100 ms a character). */
  dwell: { turns: number; buckets: Array<{ label: string; from: number; to: number | null; turns: number }> };
  followUps: {
    rephrase: number;
    newTopic: number;
    /** Follow-ups left out of the score, by reason. */
    ignored: Record<IgnoredFollowUpReason, number>;
    /** rephrase / turns, newTopic / turns. */
    rephraseRate: number | null;
    newTopicRate: number | null;
  };
  exits: number;
  copies: number;
  edits: number;
  ratings: number;
}

export interface QualityAnalysis {
  /** Totals per version, then windows, all with the prior weights (a stable yardstick across runs and the rollout). */
  rows: QualityRow[];
  signals: ImplicitSignalSummary;
  /** The weights fitted on this run's rated turns, and how well they rank held-out ratings. */
  fit: QualityFit;
  /** Generators: user-message terms over-represented among low-quality turns (scored with the fitted weights). */
  lowQuality: ErrorMiningResult | null;
  /** Generators: reply properties of low- vs high-quality turns, edit exemplars and the gate's holdout. */
  replies: ReplyEvidence | null;
  /**
   * Distinct sessions among the current version's scored turns, and among its bad turns (prior weights): who a chat
   * draft's evidence comes from (AUTO_START_CANARY_MIN_SESSIONS). Turns without a session are not counted.
   */
  currentSessions: { scored: number; bad: number };
}

export interface QualityAnalysisFold {
  add(turn: QualityTurn, ignoredFollowUp: IgnoredFollowUpReason | null): void;
  result(): QualityAnalysis;
}

const dwellBuckets = [
  { label: "< 0.25×", from: 0, to: 0.25 },
  { label: "0.25–1×", from: 0.25, to: 1 },
  { label: "1–4×", from: 1, to: 4 },
  { label: "≥ 4×", from: 4, to: null },
] as const;

interface RowCounts {
  promptVersionId: string;
  bucketStart: number | null;
  turns: number;
  scored: number;
  sum: number;
  sumSquares: number;
  bad: number;
}

type MiningTurn = ReplyTurn;

export function createQualityAnalysis(options: QualityAnalysisOptions): QualityAnalysisFold {
  const offset = options.bucketOffsetMs ?? 0;
  const z = twoSidedZ(options.confidence ?? 0.95);
  const rows = new Map<string, RowCounts>();
  const rated = createReservoirSample<RatedTurn>(options.fitSampleSize ?? 20_000, options.random);
  const scoredSessions = new Set<string>();
  const badSessions = new Set<string>();
  const mined = createReservoirSample<MiningTurn>(options.miningSampleSize ?? 20_000, options.random);
  const signals: ImplicitSignalSummary = {
    turns: 0,
    dwell: { turns: 0, buckets: dwellBuckets.map((bucket) => ({ ...bucket, turns: 0 })) },
    followUps: {
      rephrase: 0,
      newTopic: 0,
      ignored: { no_session: 0, no_next_turn: 0 },
      rephraseRate: null,
      newTopicRate: null,
    },
    exits: 0,
    copies: 0,
    edits: 0,
    ratings: 0,
  };
  const row = (promptVersionId: string, bucketStart: number | null) => {
    const key = `${promptVersionId}\u0000${bucketStart}`;
    let counts = rows.get(key);
    if (!counts) {
      counts = { promptVersionId, bucketStart, turns: 0, scored: 0, sum: 0, sumSquares: 0, bad: 0 };
      rows.set(key, counts);
    }
    return counts;
  };

  return {
    add(turn, ignoredFollowUp) {
      const s = turn.signals;
      signals.turns += 1;
      if (s.dwellMs !== null) {
        signals.dwell.turns += 1;
        const ratio = s.dwellMs / expectedReadingMs(s.replyChars);
        signals.dwell.buckets.find((b) => ratio >= b.from && (b.to === null || ratio < b.to))!.turns += 1;
      }
      if (s.followUp === "rephrase") signals.followUps.rephrase += 1;
      if (s.followUp === "new_topic") signals.followUps.newTopic += 1;
      if (ignoredFollowUp) signals.followUps.ignored[ignoredFollowUp] += 1;
      if (s.exited) signals.exits += 1;
      if (s.copied) signals.copies += 1;
      if (s.editDistance !== null) signals.edits += 1;
      if (s.rating !== null) {
        signals.ratings += 1;
        rated.add({ signals: s, sessionHash: turn.sessionHash, createdAt: turn.createdAt });
      }
      const bucketStart =
        Math.floor((turn.createdAt - offset) / options.bucketMs) * options.bucketMs + offset;
      const score = fusedQualityScore(s);
      for (const counts of [row(turn.promptVersionId, null), row(turn.promptVersionId, bucketStart)]) {
        counts.turns += 1;
        if (score === null) continue;
        counts.scored += 1;
        counts.sum += score;
        counts.sumSquares += score * score;
        if (isBadTurn(s, score)) counts.bad += 1;
      }
      if (turn.current && score !== null && turn.sessionHash !== null) {
        scoredSessions.add(turn.sessionHash);
        if (isBadTurn(s, score)) badSessions.add(turn.sessionHash);
      }
      if (options.mine && turn.current && score !== null) {
        mined.add({
          interactionId: turn.interactionId,
          input: turn.input,
          createdAt: turn.createdAt,
          signals: s,
          output: turn.output,
          editText: turn.editText,
        });
      }
    },

    result() {
      const fit = fitQualityWeights(rated.items());
      const { turns } = signals;
      signals.followUps.rephraseRate = turns === 0 ? null : signals.followUps.rephrase / turns;
      signals.followUps.newTopicRate = turns === 0 ? null : signals.followUps.newTopic / turns;
      const ordered = [...rows.values()].sort(
        (a, b) =>
          Number(a.bucketStart !== null) - Number(b.bucketStart !== null) ||
          (a.bucketStart ?? 0) - (b.bucketStart ?? 0) ||
          (a.promptVersionId < b.promptVersionId ? -1 : a.promptVersionId > b.promptVersionId ? 1 : 0),
      );
      return {
        rows: ordered.map((counts) => toRow(counts, z, options.confidence ?? 0.95)),
        signals,
        fit,
        lowQuality: options.mine ? mineLowQuality(mined.items(), fit.weights, options) : null,
        replies: options.mine
          ? replyEvidence(mined.items(), fit.weights, {
              mask: options.mask ?? ((text) => text),
              ...(options.holdoutFraction !== undefined && { holdoutFraction: options.holdoutFraction }),
            })
          : null,
        currentSessions: { scored: scoredSessions.size, bad: badSessions.size },
      };
    },
  };
}

function toRow(counts: RowCounts, z: number, confidence: number): QualityRow {
  const { promptVersionId, bucketStart, turns, scored, sum, sumSquares, bad } = counts;
  const mean = scored === 0 ? null : sum / scored;
  // Normal interval of the mean score (sample variance; turns treated as independent), clipped to [0, 1].
  const variance =
    scored < 2 || mean === null ? null : Math.max(0, (sumSquares - scored * mean * mean) / (scored - 1));
  const half = variance === null ? null : z * Math.sqrt(variance / scored);
  const rate = proportionInterval(bad, scored, confidence);
  return {
    promptVersionId,
    bucketStart,
    turns,
    scored,
    meanScore: mean,
    meanScoreLow: mean === null || half === null ? null : Math.max(0, mean - half),
    meanScoreHigh: mean === null || half === null ? null : Math.min(1, mean + half),
    badTurns: bad,
    badTurnRate: rate.estimate,
    badTurnRateLow: rate.low,
    badTurnRateHigh: rate.high,
  };
}

/** Mines the sampled turns' user messages: low-quality (bad with the fitted weights) against the rest. */
function mineLowQuality(
  turns: readonly MiningTurn[],
  weights: QualityWeights,
  options: QualityAnalysisOptions,
): ErrorMiningResult {
  const segmentWords = options.segmentWords ?? createWordSegmenter();
  const miner = createErrorMiner({ labels: [], random: options.random, segmentWords });
  for (const turn of [...turns].sort((a, b) => a.createdAt - b.createdAt)) {
    const score = fusedQualityScore(turn.signals, weights)!;
    miner.add({
      interactionId: turn.interactionId,
      text: turn.input,
      predicted: null,
      gold: null,
      correct: !isBadTurn(turn.signals, score),
      createdAt: turn.createdAt,
    });
  }
  return miner.result(options.ranking);
}
