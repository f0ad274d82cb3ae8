import type { RandomSource } from "../../../statistics/seeded-random.js";

/** Chunks keep q^n above the smallest double (0.5^1000 ≈ 9e-302) in the inversion below. */
const chunkSize = 1000;

/**
 * An exact Binomial(trials, probability) draw by inversion (walking the CDF from 0 with the pmf recurrence),
 * in chunks of 1000 trials; the expected cost is O(trials · min(p, 1 − p)). Exact draws matter here: the
 * simulation judges tail behaviour (false promotions at a few per cent), which a normal approximation would blur.
 */
export function sampleBinomial(trials: number, probability: number, random: RandomSource): number {
  if (!(Number.isInteger(trials) && trials >= 0))
    throw new RangeError(`trials must be a nonnegative integer`);
  if (!(probability >= 0 && probability <= 1)) throw new RangeError(`probability must be in [0, 1]`);
  if (trials === 0 || probability === 0) return 0;
  if (probability === 1) return trials;
  if (probability > 0.5) return trials - sampleBinomial(trials, 1 - probability, random);
  let successes = 0;
  for (let remaining = trials; remaining > 0; remaining -= chunkSize) {
    successes += invertBinomial(Math.min(remaining, chunkSize), probability, random());
  }
  return successes;
}

function invertBinomial(trials: number, probability: number, uniform: number): number {
  const ratio = probability / (1 - probability);
  let k = 0;
  let mass = (1 - probability) ** trials;
  let cumulative = mass;
  while (uniform > cumulative && k < trials) {
    mass *= ((trials - k) / (k + 1)) * ratio;
    k++;
    cumulative += mass;
  }
  return k;
}

/**
 * A Multinomial(trials, shares) draw as a chain of conditional binomials. Shares must sum to 1 (within 1e-9).
 */
export function sampleMultinomial(
  trials: number,
  shares: Readonly<Record<string, number>>,
  random: RandomSource,
): Record<string, number> {
  const entries = Object.entries(shares);
  const total = entries.reduce((sum, [, share]) => sum + share, 0);
  if (Math.abs(total - 1) > 1e-9) throw new RangeError("shares must sum to 1");
  const counts: Record<string, number> = {};
  let remainingTrials = trials;
  let remainingShare = 1;
  entries.forEach(([label, share], index) => {
    const last = index === entries.length - 1;
    const count = last
      ? remainingTrials
      : sampleBinomial(remainingTrials, Math.min(1, share / remainingShare), random);
    counts[label] = count;
    remainingTrials -= count;
    remainingShare -= share;
  });
  return counts;
}
