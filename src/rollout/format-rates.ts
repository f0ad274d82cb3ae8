import type { SequentialDifferenceTestResult } from "./stats/sequential-difference-test.js";

/** 0.1234 → "12.3%". */
export function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** A difference of rates in percentage points with its sign: 0.041 → "+4.1 pts". */
export function formatPoints(difference: number): string {
  const points = difference * 100;
  return `${points >= 0 ? "+" : "−"}${Math.abs(points).toFixed(1)} pts`;
}

/** Two significant digits, scientific below 0.001: 0.0123 → "0.012", 2.6e-11 → "2.6e-11". */
export function formatPValue(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toPrecision(2);
}

/** "candidate 18.0% vs control 10.0% (+8.0 pts, confidence sequence [+3.1, +12.9] pts, p = 0.0012)". */
export function describeComparison(test: SequentialDifferenceTestResult): string {
  const { lower, upper } = test.confidenceSequence;
  return (
    `candidate ${formatRate(test.candidateRate)} vs control ${formatRate(test.controlRate)} ` +
    `(${formatPoints(test.difference)}, confidence sequence [${formatPoints(lower).replace(" pts", "")}, ` +
    `${formatPoints(upper)}], always-valid p = ${formatPValue(test.pValue)})`
  );
}
