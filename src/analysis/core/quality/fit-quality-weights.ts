/**
 * Learns the score's weights from turns that have both a rating and other signals: a logistic regression of
 * the rating (as a soft target (rating − 1)/4) on the learned features, with a Gaussian prior centred on the
 * prior weights (MAP, Newton's method). Few ratings leave the prior; many outweigh it. Pure.
 */
import {
  learnedFeatures,
  learnedLogOdds,
  priorQualityWeights,
  qualityFeatures,
  type LearnedFeature,
  type QualityWeights,
} from "./quality-score.js";
import type { TurnSignals } from "./turn-signals.js";
import { areaUnderCurve, spearman } from "../../../statistics/rank-statistics.js";

/** A rated turn with its signals, the sample the fit learns from. */
export interface RatedTurn {
  signals: TurnSignals;
  sessionHash: string | null;
  /** epoch ms: the newest share is held out to measure the fit. */
  createdAt: number;
}

/** Options of {@link fitQualityWeights}; every default is documented in docs/analysis.md. */
export interface QualityFitOptions {
  /** Fewer usable rated turns than this: keep the prior weights (default 50). */
  minimumRatedTurns?: number;
  /** Precision of the Gaussian prior around the prior weights (default 5). */
  priorPrecision?: number;
  /** One session's turns weigh at most this many turns together (default 20). */
  sessionWeightCap?: number;
  /** The newest share of rated turns held out to measure the fit (default 0.2). */
  heldOutShare?: number;
}

/** How well the learned-feature score ranks held-out ratings. */
export interface QualityFitEvaluation {
  /** Held-out turns rated ≥ 4 (good) or ≤ 2 (bad); 3s are left out. */
  heldOutTurns: number;
  /** AUC of σ(bias + Σ wⱼxⱼ) for good against bad held-out turns; null without both. */
  auc: number | null;
  /** The same AUC with the prior weights: what fitting gained. */
  priorAuc: number | null;
  /** Spearman rank correlation between that score and the held-out ratings (3s included); null if undefined. */
  spearman: number | null;
}

/** The weights to score with and where they came from. */
export interface QualityFit {
  weights: QualityWeights;
  source: "prior" | "fitted";
  /** Rated turns that also carry another signal: the usable samples. */
  ratedTurns: number;
  /** Samples in the fit (all usable ones when fitted; 0 for the prior). */
  fittedOn: number;
  sessions: number;
  evaluation: QualityFitEvaluation;
  options: Required<QualityFitOptions>;
}

const defaults: Required<QualityFitOptions> = {
  minimumRatedTurns: 50,
  priorPrecision: 5,
  sessionWeightCap: 20,
  heldOutShare: 0.2,
};

/** A rated turn is usable when it carries a learned feature or a dwell, not just the rating. */
function isUsable({ signals }: RatedTurn): boolean {
  return (
    signals.rating !== null &&
    (signals.dwellMs !== null ||
      signals.editDistance !== null ||
      signals.copied ||
      signals.exited ||
      signals.followUp !== null)
  );
}

export function fitQualityWeights(turns: readonly RatedTurn[], options: QualityFitOptions = {}): QualityFit {
  const settings = { ...defaults, ...options };
  const usable = turns.filter(isUsable).sort((a, b) => a.createdAt - b.createdAt);
  const sessions = new Set(usable.map((turn, i) => turn.sessionHash ?? `turn:${i}`)).size;
  const heldOutCount = Math.floor(usable.length * settings.heldOutShare);
  const training = usable.slice(0, usable.length - heldOutCount);
  const heldOut = usable.slice(usable.length - heldOutCount);
  const base = { ratedTurns: usable.length, sessions, options: settings };
  if (usable.length < settings.minimumRatedTurns) {
    return {
      ...base,
      weights: priorQualityWeights,
      source: "prior",
      fittedOn: 0,
      evaluation: evaluate(heldOut, priorQualityWeights),
    };
  }
  // Measured out of sample: fit on the older turns, score the newest; then refit on everything to use.
  const measured = evaluate(heldOut, mapFit(training, settings));
  return {
    ...base,
    weights: mapFit(usable, settings),
    source: "fitted",
    fittedOn: usable.length,
    evaluation: measured,
  };
}

/** Caps each session's total weight at `cap` turns: weight min(1, cap / that session's turns). */
function sessionWeights(turns: readonly RatedTurn[], cap: number): number[] {
  const perSession = new Map<string, number>();
  const keys = turns.map((turn, i) => turn.sessionHash ?? `turn:${i}`);
  for (const key of keys) perSession.set(key, (perSession.get(key) ?? 0) + 1);
  return keys.map((key) => Math.min(1, cap / perSession.get(key)!));
}

const parameterNames = ["bias", ...learnedFeatures] as const;
const toVector = (weights: QualityWeights) => [
  weights.bias,
  ...learnedFeatures.map((f) => weights.features[f]),
];
const toWeights = (vector: readonly number[]): QualityWeights => ({
  bias: vector[0]!,
  features: Object.fromEntries(learnedFeatures.map((f, i) => [f, vector[i + 1]!])) as Record<
    LearnedFeature,
    number
  >,
});

/** Newton's method on the weighted cross-entropy plus (τ/2)·‖θ − θ₀‖². */
function mapFit(turns: readonly RatedTurn[], settings: Required<QualityFitOptions>): QualityWeights {
  const prior = toVector(priorQualityWeights);
  const size = parameterNames.length;
  const rows = turns.map(({ signals }) => {
    const features = qualityFeatures(signals);
    return [1, ...learnedFeatures.map((f) => features[f])];
  });
  const targets = turns.map(({ signals }) => (signals.rating! - 1) / 4);
  const weights = sessionWeights(turns, settings.sessionWeightCap);
  const objective = (parameters: readonly number[]) => {
    let total = 0;
    rows.forEach((row, i) => {
      const z = row.reduce((sum, x, j) => sum + x * parameters[j]!, 0);
      // Cross-entropy in a form that does not overflow: log(1 + e^z) − y·z.
      total += weights[i]! * (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - targets[i]! * z);
    });
    return (
      total + (settings.priorPrecision / 2) * parameters.reduce((sum, v, j) => sum + (v - prior[j]!) ** 2, 0)
    );
  };
  let theta = [...prior];
  let current = objective(theta);
  for (let iteration = 0; iteration < 50; iteration += 1) {
    const gradient = theta.map((value, j) => settings.priorPrecision * (value - prior[j]!));
    const hessian = Array.from({ length: size }, (_, j) =>
      Array.from({ length: size }, (_, k) => (j === k ? settings.priorPrecision : 0)),
    );
    rows.forEach((row, i) => {
      const p = 1 / (1 + Math.exp(-row.reduce((sum, x, j) => sum + x * theta[j]!, 0)));
      const w = weights[i]!;
      for (let j = 0; j < size; j += 1) {
        gradient[j]! += w * (p - targets[i]!) * row[j]!;
        for (let k = 0; k < size; k += 1) hessian[j]![k]! += w * p * (1 - p) * row[j]! * row[k]!;
      }
    });
    const step = solve(hessian, gradient);
    // Damped Newton: halve the step until the objective goes down (a full step can overshoot on skewed data).
    let scale = 1;
    let next = theta.map((value, j) => value - step[j]!);
    let value = objective(next);
    while (value > current && scale > 1e-6) {
      scale /= 2;
      next = theta.map((v, j) => v - scale * step[j]!);
      value = objective(next);
    }
    const largest = Math.max(...step.map((s) => Math.abs(scale * s)));
    if (value > current) break;
    theta = next;
    current = value;
    if (largest < 1e-9) break;
  }
  return toWeights(theta);
}

/** Solves A·x = b by Gaussian elimination with partial pivoting (A is symmetric positive definite here). */
function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i]!]);
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let row = col + 1; row < n; row += 1)
      if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let row = col + 1; row < n; row += 1) {
      const factor = a[row]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k += 1) a[row]![k]! -= factor * a[col]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row -= 1) {
    let sum = a[row]![n]!;
    for (let k = row + 1; k < n; k += 1) sum -= a[row]![k]! * x[k]!;
    x[row] = sum / a[row]![row]!;
  }
  return x;
}

/** The implicit-side score of a held-out turn: the rating itself is what it is judged against. */
const implicitLogOdds = (signals: TurnSignals, weights: QualityWeights) =>
  weights.bias + learnedLogOdds(qualityFeatures(signals), weights);

function evaluate(heldOut: readonly RatedTurn[], weights: QualityWeights): QualityFitEvaluation {
  const decided = heldOut.filter(({ signals }) => signals.rating !== 3);
  const good = (turn: RatedTurn) => turn.signals.rating! >= 4;
  const aucOf = (w: QualityWeights) =>
    areaUnderCurve(
      decided.filter(good).map((turn) => implicitLogOdds(turn.signals, w)),
      decided.filter((turn) => !good(turn)).map((turn) => implicitLogOdds(turn.signals, w)),
    );
  return {
    heldOutTurns: decided.length,
    auc: aucOf(weights),
    priorAuc: aucOf(priorQualityWeights),
    spearman: spearman(
      heldOut.map((turn) => implicitLogOdds(turn.signals, weights)),
      heldOut.map((turn) => turn.signals.rating!),
    ),
  };
}
