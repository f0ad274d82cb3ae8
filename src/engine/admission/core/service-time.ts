/**
 * How long a call of one class holds its sequence, as a moving estimate: an exponentially weighted mean of the
 * served calls' hold times, seeded by the first one. `samples` says how much it rests on (0: nothing measured yet).
 */
export interface ServiceTimeEstimate {
  ms: number;
  samples: number;
}

/** Weight of the newest hold time: about the last 7 calls carry most of the estimate. */
export const serviceTimeWeight = 0.25;

export const noServiceTime: ServiceTimeEstimate = { ms: 0, samples: 0 };

/** The estimate after one more served call held its sequence for `heldMs`. */
export function recordServiceTime(
  estimate: ServiceTimeEstimate,
  heldMs: number,
  weight: number = serviceTimeWeight,
): ServiceTimeEstimate {
  const held = Math.max(0, heldMs);
  if (estimate.samples === 0) return { ms: held, samples: 1 };
  return { ms: (1 - weight) * estimate.ms + weight * held, samples: estimate.samples + 1 };
}
