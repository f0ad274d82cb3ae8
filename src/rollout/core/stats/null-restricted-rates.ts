import type { ProportionCounts } from "./proportion-counts.js";

/**
 * The maximum-likelihood rates of both arms under the constraint candidate − control = nullDifference
 * (Farrington & Manning, Stat Med 1990, closed form of the cubic; Miettinen & Nurminen 1985). With a null
 * difference of 0 this is the pooled rate for both arms. Score-type tests use these rates for the variance:
 * the variance *at the null*, which does not shrink when one arm happens to see few events.
 */
export function nullRestrictedRates(
  control: ProportionCounts,
  candidate: ProportionCounts,
  nullDifference: number,
): { control: number; candidate: number } {
  const total = control.trials + candidate.trials;
  if (nullDifference === 0) {
    const pooled = (control.events + candidate.events) / total;
    return { control: pooled, candidate: pooled };
  }
  // Notation of Farrington & Manning: arm 1 = candidate, arm 2 = control, H0: p1 − p2 = δ.
  const delta = nullDifference;
  const p1 = candidate.events / candidate.trials;
  const p2 = control.events / control.trials;
  const theta = control.trials / candidate.trials;
  const a = 1 + theta;
  const b = -(1 + theta + p1 + theta * p2 + delta * (theta + 2));
  const c = delta * delta + delta * (2 * p1 + theta + 1) + p1 + theta * p2;
  const d = -p1 * delta * (1 + delta);
  const v = b ** 3 / (27 * a ** 3) - (b * c) / (6 * a * a) + d / (2 * a);
  const u = Math.sign(v || 1) * Math.sqrt(Math.max(0, (b * b) / (9 * a * a) - c / (3 * a)));
  const w = u === 0 ? 0 : (Math.PI + Math.acos(Math.min(1, Math.max(-1, v / u ** 3)))) / 3;
  const candidateRate = clamp(2 * u * Math.cos(w) - b / (3 * a));
  return { control: clamp(candidateRate - delta), candidate: candidateRate };
}

function clamp(rate: number): number {
  return Math.min(1, Math.max(0, rate));
}
