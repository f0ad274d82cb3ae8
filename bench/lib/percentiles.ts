/** Summary of a sample of measurements (milliseconds, tokens per second, ...). */
export interface SampleSummary {
  count: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

/**
 * Pure: the q-quantile (0 ≤ q ≤ 1) of `values` by linear interpolation between closest ranks (the same rule as
 * NumPy's default), so that p50 of an even-sized sample is the mean of the two middle values.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** Pure: count, p50, p95, min, max and mean of a sample. */
export function summarize(values: readonly number[]): SampleSummary {
  return {
    count: values.length,
    p50: quantile(values, 0.5),
    p95: quantile(values, 0.95),
    min: values.length > 0 ? Math.min(...values) : Number.NaN,
    max: values.length > 0 ? Math.max(...values) : Number.NaN,
    mean: values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN,
  };
}

/** Rounds for display and JSON: measurements are not meaningful beyond a few significant digits. */
export function roundTo(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
