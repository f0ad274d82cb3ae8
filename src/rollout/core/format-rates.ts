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

/**
 * "candidate 18.0% vs control 10.0% (+8.0 pts; 99.2% confidence sequence: ≥ +3.1 pts; always-valid p = 0.0012)".
 * The bound shown is the one the test's alternative uses, so it agrees with the p-value.
 */
export function describeComparison(test: SequentialDifferenceTestResult): string {
  const parts = [formatPoints(test.difference)];
  const sequence = test.confidenceSequence;
  if (sequence) {
    const level = `${formatLevel(1 - test.alpha)} confidence sequence`;
    if (test.alternative === "greater") parts.push(`${level}: ≥ ${formatPoints(sequence.lower)}`);
    else if (test.alternative === "less") parts.push(`${level}: ≤ ${formatPoints(sequence.upper)}`);
    else parts.push(`${level}: [${formatPoints(sequence.lower)}, ${formatPoints(sequence.upper)}]`);
  }
  parts.push(`always-valid p = ${formatPValue(test.pValue)}`);
  return `candidate ${formatRate(test.candidateRate)} vs control ${formatRate(test.controlRate)} (${parts.join("; ")})`;
}

/** 0.95 → "95%", 0.99166 → "99.2%". */
function formatLevel(level: number): string {
  const percent = level * 100;
  return `${Number.isInteger(Math.round(percent * 10) / 10) ? percent.toFixed(0) : percent.toFixed(1)}%`;
}
