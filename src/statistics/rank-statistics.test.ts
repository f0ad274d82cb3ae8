import { describe, expect, it } from "vitest";
import { areaUnderCurve, spearman } from "./rank-statistics.js";

describe("areaUnderCurve", () => {
  it("counts the pairs a positive wins, ties as half", () => {
    expect(areaUnderCurve([0.9, 0.8, 0.4], [0.5, 0.3])).toBeCloseTo(5 / 6, 12);
    expect(areaUnderCurve([1, 2], [1, 2])).toBeCloseTo(0.5, 12);
    expect(areaUnderCurve([3, 4], [1, 2])).toBe(1);
    expect(areaUnderCurve([1, 2], [3, 4])).toBe(0);
  });
  it("is null without both classes", () => {
    expect(areaUnderCurve([], [1])).toBeNull();
    expect(areaUnderCurve([1], [])).toBeNull();
  });
});

describe("spearman", () => {
  it("matches scipy.stats.spearmanr on a tied example", () => {
    // spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]).statistic = 0.8207826816681233
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
  });
  it("is ±1 for monotone data and null when undefined", () => {
    expect(spearman([1, 2, 3], [10, 20, 30])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 2], [1, 2])).toBeNull();
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});
