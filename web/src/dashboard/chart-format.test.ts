import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketDateFormatter, shareTicks } from "./chart-format.js";

describe("shareTicks", () => {
  it.each<[number, number[]]>([
    [0, [0, 0.01]],
    [0.041, [0, 0.01, 0.02, 0.03, 0.04, 0.05]],
    [0.133, [0, 0.05, 0.1, 0.15]],
    [0.5, [0, 0.1, 0.2, 0.3, 0.4, 0.5]],
    [0.93, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
  ])("max %f → %j", (max, expected) => {
    expect(shareTicks(max)).toEqual(expected);
  });

  it("always covers the maximum with at most six evenly spaced ticks starting at 0", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (max) => {
        const ticks = shareTicks(max);
        expect(ticks[0]).toBe(0);
        expect(ticks.length).toBeLessThanOrEqual(6);
        expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max - 1e-9);
        expect(ticks.at(-1)!).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe("bucketDateFormatter", () => {
  it("labels UTC-midnight buckets by their UTC date", () => {
    const bucket = Date.UTC(2025, 2, 4);
    expect(bucketDateFormatter("en-US", [bucket])(bucket)).toBe("03/04");
  });
});
