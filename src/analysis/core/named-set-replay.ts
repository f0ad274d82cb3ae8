import type { NamedReplaySet } from "./replay-sets.js";

/** Predicted labels by interaction id (replay-gate.ts's ReplayPredictions; spelled out here to keep imports one-way). */
type Predictions = Readonly<Record<string, string | null>>;

/** One named regression set replayed through the current version and a candidate. */
export interface NamedSetResult {
  id: string;
  name: string;
  n: number;
  currentCorrect: number;
  candidateCorrect: number;
  /** Items the current version gets right on replay and the candidate gets wrong. */
  brokenByCandidate: number;
  /** Items the current version gets wrong on replay and the candidate gets right. */
  fixedByCandidate: number;
  /** The candidate may get this many more items wrong than the current version (the replay's own noise). */
  allowedExtraWrong: number;
  pass: boolean;
}

/**
 * Scores every named set: a set passes when the candidate gets at most `allowedExtraWrong` (maxExtraShare × n,
 * rounded down) more of its items wrong than the current version does on the same replay.
 */
export function scoreNamedSets(
  sets: readonly NamedReplaySet[],
  current: Predictions,
  candidate: Predictions,
  maxExtraShare: number,
): NamedSetResult[] {
  return sets.map((set) => {
    let currentCorrect = 0;
    let candidateCorrect = 0;
    let brokenByCandidate = 0;
    let fixedByCandidate = 0;
    for (const item of set.items) {
      const currentRight = current[item.id] === item.gold;
      const candidateRight = candidate[item.id] === item.gold;
      if (currentRight) currentCorrect += 1;
      if (candidateRight) candidateCorrect += 1;
      if (currentRight && !candidateRight) brokenByCandidate += 1;
      if (candidateRight && !currentRight) fixedByCandidate += 1;
    }
    const n = set.items.length;
    const allowedExtraWrong = Math.floor(maxExtraShare * n);
    return {
      id: set.id,
      name: set.name,
      n,
      currentCorrect,
      candidateCorrect,
      brokenByCandidate,
      fixedByCandidate,
      allowedExtraWrong,
      pass: currentCorrect - candidateCorrect <= allowedExtraWrong,
    };
  });
}

/** One line per named set for the reports, e.g. `回归集 regression set “讽刺”: 3 → 4 of 5 right (fixed 1, broken 0): pass`. */
export function describeNamedSet(result: NamedSetResult): string {
  return (
    `回归集 regression set “${result.name}”: ${result.currentCorrect} → ${result.candidateCorrect} of ${result.n} right ` +
    `(fixed ${result.fixedByCandidate}, broken ${result.brokenByCandidate}): ${result.pass ? "pass" : "fail"}`
  );
}
