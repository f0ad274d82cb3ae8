import { regularizedGammaQ } from "../../../statistics/regularized-gamma.js";

/**
 * P(X ≥ statistic) for a chi-square variable with `degreesOfFreedom` degrees of freedom: Q(k/2, x/2).
 * For one degree of freedom this equals erfc(√(x/2)).
 */
export function chiSquareSurvival(statistic: number, degreesOfFreedom: number): number {
  if (!(degreesOfFreedom > 0))
    throw new RangeError(`degrees of freedom must be > 0, got ${degreesOfFreedom}`);
  if (Number.isNaN(statistic)) return Number.NaN;
  if (statistic <= 0) return 1;
  return regularizedGammaQ(degreesOfFreedom / 2, statistic / 2);
}
