import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitByTime } from "./split-by-time.js";
import { charBigramSet, jaccard } from "./text-similarity.js";
import { estimateTokens } from "./token-estimate.js";

describe("splitByTime", () => {
  it("puts the earliest share of items first", () => {
    const items = [5, 1, 4, 2, 3].map((createdAt) => ({ createdAt }));
    const split = splitByTime(items, 0.6);
    expect(split.earlier.map((item) => item.createdAt)).toEqual([1, 2, 3]);
    expect(split.later.map((item) => item.createdAt)).toEqual([4, 5]);
    expect(split.cutoff).toBe(4);
  });

  it("never puts an item on the earlier side that is as late as a later one", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 })),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (times, fraction) => {
          const { earlier, later, cutoff } = splitByTime(
            times.map((createdAt) => ({ createdAt })),
            fraction,
          );
          expect(earlier.length + later.length).toBe(times.length);
          for (const item of earlier) expect(item.createdAt).toBeLessThan(cutoff ?? Number.POSITIVE_INFINITY);
          for (const item of later) expect(item.createdAt).toBeGreaterThanOrEqual(cutoff!);
        },
      ),
    );
  });
});

describe("text similarity and token estimate", () => {
  it("scores near-duplicates high and different texts low", () => {
    expect(jaccard(charBigramSet("房间很干净！"), charBigramSet("房间很干净"))).toBe(1);
    expect(
      jaccard(charBigramSet("房间很干净，服务好"), charBigramSet("房间很干净，服务很好")),
    ).toBeGreaterThan(0.6);
    expect(jaccard(charBigramSet("房间很干净"), charBigramSet("送餐太慢了"))).toBe(0);
  });

  it("counts one token per CJK character and one per four other characters", () => {
    expect(estimateTokens("还行吧")).toBe(3);
    expect(estimateTokens("wifi ok!")).toBe(2);
    expect(estimateTokens("")).toBe(0);
  });
});
