import { normalQuantile } from "../../statistics/normal-distribution.js";

export { normalQuantile };

/** The two-sided critical value for a confidence level, e.g. 0.95 → 1.95996. */
export function twoSidedZ(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}
