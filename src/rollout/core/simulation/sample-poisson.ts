import type { RandomSource } from "../../../statistics/seeded-random.js";

/** Means above this are drawn as a sum of smaller Poisson draws (e^−30 ≈ 9e-14 keeps the inversion accurate). */
const chunkMean = 30;

/**
 * An exact Poisson(mean) draw by inversion (walking the CDF with the pmf recurrence), in chunks of mean ≤ 30
 * whose draws are summed (a sum of independent Poisson draws is Poisson with the summed mean). Cost O(mean).
 * The simulation draws arrivals per look with it: at 25 users an hour and 15-minute looks, about 6 arrive per
 * look, and rounding that to a fixed number would hide the randomness the tests must cope with.
 */
export function samplePoisson(mean: number, random: RandomSource): number {
  if (!(mean >= 0 && Number.isFinite(mean)))
    throw new RangeError(`mean must be finite and >= 0, got ${mean}`);
  let count = 0;
  for (let remaining = mean; remaining > 0; remaining -= chunkMean) {
    count += invertPoisson(Math.min(remaining, chunkMean), random());
  }
  return count;
}

function invertPoisson(mean: number, uniform: number): number {
  let k = 0;
  let mass = Math.exp(-mean);
  let cumulative = mass;
  // The cap only guards against a uniform within rounding of 1; the mass beyond it is below 1e-30.
  while (uniform > cumulative && k < 10 * chunkMean + 100) {
    k++;
    mass *= mean / k;
    cumulative += mass;
  }
  return k;
}
