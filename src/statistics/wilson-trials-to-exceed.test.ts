import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wilsonInterval } from "./wilson-interval.js";
import { wilsonTrialsToExceed } from "./wilson-trials-to-exceed.js";

describe("wilsonTrialsToExceed", () => {
  // Hand-computed from the quadratic (z = 1.959964, t = 0.15): at p = 0.18, a = 0.0009, b = z²·(0.021 − 0.1476)
  // = −0.486329, c = −z⁴·0.1275 = −1.881493, so n* = (0.486329 + √0.243289) / 0.0018 = 544.2 → 545.
  // p = 0.20: n* = (0.480182 + √0.249390) / 0.005 = 195.9 → 196; p = 0.25: n* = 48.98 → 49.
  // p = 0.182 and 0.173 are the "18.2% at 500" and "17.3% at 1,000" (479 and 926 trials).
  it.each([
    [0.18, 545],
    [0.2, 196],
    [0.25, 49],
    [0.182, 479],
    [0.173, 926],
  ])("a rate of %d clears 15%% from %d trials on", (rate, trials) => {
    expect(wilsonTrialsToExceed(rate, 0.15)).toBe(trials);
    expect(wilsonInterval(rate * trials, trials).lower).toBeGreaterThan(0.15);
    expect(wilsonInterval(rate * (trials - 1), trials - 1).lower).toBeLessThanOrEqual(0.15);
  });

  it("is null when the rate is not above the threshold", () => {
    expect(wilsonTrialsToExceed(0.15, 0.15)).toBeNull();
    expect(wilsonTrialsToExceed(0.1, 0.15)).toBeNull();
  });

  it("needs more trials at a higher confidence", () => {
    expect(wilsonTrialsToExceed(0.18, 0.15, 0.99)).toBeGreaterThan(545);
  });

  it("is the first number of trials whose lower bound is above the threshold, everywhere", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.02, max: 0.9, noNaN: true }),
        fc.double({ min: 0.01, max: 0.6, noNaN: true }),
        (threshold, gap) => {
          const rate = Math.min(1, threshold + gap);
          const trials = wilsonTrialsToExceed(rate, threshold)!;
          expect(wilsonInterval(rate * trials, trials).lower).toBeGreaterThan(threshold);
          if (trials > 1)
            expect(wilsonInterval(rate * (trials - 1), trials - 1).lower).toBeLessThanOrEqual(threshold);
        },
      ),
    );
  });
});
