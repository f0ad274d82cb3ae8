import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createReservoirSample } from "./reservoir-sample.js";
import { createSeededRandom } from "../../statistics/seeded-random.js";

describe("createReservoirSample", () => {
  it("keeps everything while under capacity, in offer order", () => {
    const sample = createReservoirSample<number>(5, createSeededRandom(1));
    [3, 1, 2].forEach((n) => sample.add(n));
    expect(sample.items()).toEqual([3, 1, 2]);
    expect(sample.seen).toBe(3);
  });

  it("never exceeds capacity and keeps only offered items, in offer order", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer(),
        (capacity, n, seed) => {
          const sample = createReservoirSample<number>(capacity, createSeededRandom(seed));
          for (let i = 0; i < n; i += 1) sample.add(i);
          const items = sample.items();
          expect(items.length).toBe(Math.min(capacity, n));
          expect(new Set(items).size).toBe(items.length);
          expect([...items].sort((a, b) => a - b)).toEqual(items);
        },
      ),
    );
  });

  it("is reproducible for a seed", () => {
    const run = (seed: number) => {
      const sample = createReservoirSample<number>(10, createSeededRandom(seed));
      for (let i = 0; i < 1000; i += 1) sample.add(i);
      return sample.items();
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it("samples roughly uniformly", () => {
    const hits = new Array<number>(100).fill(0);
    const random = createSeededRandom(42);
    for (let trial = 0; trial < 2000; trial += 1) {
      const sample = createReservoirSample<number>(10, random);
      for (let i = 0; i < 100; i += 1) sample.add(i);
      for (const item of sample.items()) hits[item]! += 1;
    }
    // Each item is kept with probability 0.1 → 200 expected hits; allow ±5 standard deviations (≈ 67).
    for (const count of hits) expect(Math.abs(count - 200)).toBeLessThan(70);
  });
});
