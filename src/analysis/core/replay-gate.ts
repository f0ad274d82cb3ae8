import { binomialHalfUpperTail } from "./exact-binomial.js";
import type { PatternKind } from "./mined-pattern.js";
import type { PatternRef } from "./pattern-matcher.js";
import { matchesAnyPattern } from "./pattern-matcher.js";
import {
  describeReplayGateReason,
  type ReplayGateReasonCode,
  type ReplayGateReasonParams,
} from "./replay-gate-reason.js";
import type { NamedReplaySet, ReplayItem } from "./replay-sets.js";
import { scoreNamedSets, type NamedSetResult } from "./named-set-replay.js";

/** Predicted labels by interaction id; a missing id or null counts as a wrong answer (the replay failed). */
export type ReplayPredictions = Readonly<Record<string, string | null>>;

/** Options of the replay gate. */
export interface ReplayGateOptions {
  /** Significance level of the "worse overall" test. Default 0.05. */
  alpha?: number;
  /** A slice smaller than this cannot show an improvement. Default 5. */
  minSliceItems?: number;
  /**
   * Regression items the candidate may break beyond those the current version breaks itself on replay, as a share
   * of the regression set. Default 0.05.
   */
  maxExtraBrokenShare?: number;
}

export interface ReplayGateInput {
  heldOut: readonly ReplayItem[];
  regression: readonly ReplayItem[];
  /** The current version replayed on the same items. */
  current: ReplayPredictions;
  candidate: ReplayPredictions;
  /** The candidate's target patterns (ids such as "ngram:还行" or refs). */
  targetPatterns: readonly (string | PatternRef)[];
  /** The task's named regression sets (triage); each must hold (see scoreNamedSets). */
  named?: readonly NamedReplaySet[];
}

export interface AccuracyComparison {
  n: number;
  currentCorrect: number;
  candidateCorrect: number;
  currentAccuracy: number | null;
  candidateAccuracy: number | null;
  /** candidateAccuracy − currentAccuracy */
  delta: number | null;
}

export interface ReplayStats {
  heldOut: AccuracyComparison;
  slice: AccuracyComparison;
  /** How the slice was defined. */
  sliceDefinition: string;
  /** Paired held-out items only one version got right. */
  discordant: { currentOnlyRight: number; candidateOnlyRight: number };
  /** One-sided exact McNemar p-value that the candidate is worse overall. */
  pWorse: number;
  /** One-sided exact McNemar p-value that the candidate is better overall. */
  pBetter: number;
  regression: {
    n: number;
    /** Previously right answers the candidate gets wrong. */
    brokenByCandidate: number;
    /** Previously right answers the current version itself gets wrong on replay (the replay's own noise). */
    brokenByCurrentReplay: number;
    allowedExtraBroken: number;
  };
  /** Items without a prediction from either version (counted as wrong). */
  missingPredictions: number;
  /** Each named regression set's result (absent in reports from before named sets). */
  namedSets?: NamedSetResult[];
}

export interface ReplayGateResult {
  pass: boolean;
  /** Why, as a stable code with its figures (the UI and the reports' Chinese parts translate these). */
  reasonCode: ReplayGateReasonCode;
  reasonParams: ReplayGateReasonParams;
  /** The same reason in an English sentence (API and CLI users). */
  reason: string;
  stats: ReplayStats;
}

/** "ngram:还行" → {kind: "ngram", text: "还行"}. */
export function patternRefFromId(id: string): PatternRef {
  const colon = id.indexOf(":");
  return { kind: id.slice(0, colon) as PatternKind, text: id.slice(colon + 1) };
}

/**
 * Decides whether a candidate may become a draft. It passes only when all hold:
 * 1. the target slice (held-out items matching its target patterns; without targets, the held-out items the current
 *    version got wrong when they happened) has at least `minSliceItems` items and the candidate gets more of them
 *    right than the current version;
 * 2. overall it is not worse beyond noise: "noise" is judged by the one-sided exact McNemar test on the paired
 *    held-out predictions (only discordant pairs carry information); worse at p < alpha fails;
 * 3. on the regression set it breaks at most `maxExtraBrokenShare` × n more previously right answers than the
 *    current version breaks itself on replay (replays of a sampling model are not perfectly repeatable);
 * 4. on every named regression set it gets at most `maxExtraBrokenShare` × n more items wrong than the current
 *    version does on the same replay.
 */
export function decideReplayGate(input: ReplayGateInput, options: ReplayGateOptions = {}): ReplayGateResult {
  const alpha = options.alpha ?? 0.05;
  const minSlice = options.minSliceItems ?? 5;
  const maxExtraShare = options.maxExtraBrokenShare ?? 0.05;
  const refs = input.targetPatterns.map((pattern) =>
    typeof pattern === "string" ? patternRefFromId(pattern) : pattern,
  );
  const right = (predictions: ReplayPredictions, item: ReplayItem) => predictions[item.id] === item.gold;
  const replayed = new Set(
    [...input.heldOut, ...input.regression, ...(input.named ?? []).flatMap((set) => set.items)].map(
      (item) => item.id,
    ),
  );
  let missing = 0;
  for (const id of replayed) {
    if ((input.current[id] ?? null) === null || (input.candidate[id] ?? null) === null) missing += 1;
  }

  const heldOut = compare(input.heldOut, input, right);
  const sliceItems =
    refs.length > 0
      ? input.heldOut.filter((item) => matchesAnyPattern(refs, item.input))
      : input.heldOut.filter((item) => item.recordedPrediction !== item.gold);
  const slice = compare(sliceItems, input, right);
  let currentOnlyRight = 0;
  let candidateOnlyRight = 0;
  for (const item of input.heldOut) {
    const currentRight = input.current[item.id] === item.gold;
    const candidateRight = input.candidate[item.id] === item.gold;
    if (currentRight && !candidateRight) currentOnlyRight += 1;
    if (candidateRight && !currentRight) candidateOnlyRight += 1;
  }
  const pWorse = binomialHalfUpperTail(currentOnlyRight, currentOnlyRight + candidateOnlyRight);
  const pBetter = binomialHalfUpperTail(candidateOnlyRight, currentOnlyRight + candidateOnlyRight);
  const brokenByCandidate = input.regression.filter((item) => input.candidate[item.id] !== item.gold).length;
  const brokenByCurrentReplay = input.regression.filter(
    (item) => input.current[item.id] !== item.gold,
  ).length;
  const allowedExtraBroken = Math.floor(maxExtraShare * input.regression.length);
  const stats: ReplayStats = {
    heldOut,
    slice,
    sliceDefinition:
      refs.length > 0
        ? `held-out items matching ${refs.map((ref) => `${ref.kind}:${ref.text}`).join(", ")}`
        : "held-out items the current version got wrong when they happened",
    discordant: { currentOnlyRight, candidateOnlyRight },
    pWorse,
    pBetter,
    regression: { n: input.regression.length, brokenByCandidate, brokenByCurrentReplay, allowedExtraBroken },
    missingPredictions: missing,
    namedSets: scoreNamedSets(input.named ?? [], input.current, input.candidate, maxExtraShare),
  };
  const params: ReplayGateReasonParams = {
    sliceN: slice.n,
    minSlice,
    sliceCurrentCorrect: slice.currentCorrect,
    sliceCandidateCorrect: slice.candidateCorrect,
    currentAccuracy: heldOut.currentAccuracy,
    candidateAccuracy: heldOut.candidateAccuracy,
    lost: currentOnlyRight,
    gained: candidateOnlyRight,
    pWorse,
    alpha,
    regressionN: input.regression.length,
    brokenByCandidate,
    brokenByCurrentReplay,
    allowedExtraBroken,
    failedSet: stats.namedSets!.find((set) => !set.pass) ?? null,
  };
  const reasonCode: ReplayGateReasonCode =
    slice.n < minSlice
      ? "slice_too_small"
      : slice.candidateCorrect <= slice.currentCorrect
        ? "no_slice_improvement"
        : pWorse < alpha
          ? "worse_overall"
          : brokenByCandidate - brokenByCurrentReplay > allowedExtraBroken
            ? "breaks_regressions"
            : params.failedSet !== null
              ? "named_set_failed"
              : "passed";
  return {
    pass: reasonCode === "passed",
    reasonCode,
    reasonParams: params,
    reason: describeReplayGateReason(reasonCode, params, "en"),
    stats,
  };
}

function compare(
  items: readonly ReplayItem[],
  input: ReplayGateInput,
  right: (predictions: ReplayPredictions, item: ReplayItem) => boolean,
): AccuracyComparison {
  let currentCorrect = 0;
  let candidateCorrect = 0;
  for (const item of items) {
    if (right(input.current, item)) currentCorrect += 1;
    if (right(input.candidate, item)) candidateCorrect += 1;
  }
  const n = items.length;
  const currentAccuracy = n === 0 ? null : currentCorrect / n;
  const candidateAccuracy = n === 0 ? null : candidateCorrect / n;
  return {
    n,
    currentCorrect,
    candidateCorrect,
    currentAccuracy,
    candidateAccuracy,
    delta:
      currentAccuracy === null || candidateAccuracy === null ? null : candidateAccuracy - currentAccuracy,
  };
}
