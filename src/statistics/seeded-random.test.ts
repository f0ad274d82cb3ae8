import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSeededRandom, SeededRandom } from "./seeded-random.js";

describe("SeededRandom", () => {
  it("gives the same words from the bulk fill as from one-at-a-time draws", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 64 }),
        (seed, length) => {
          const one = new SeededRandom(seed);
          const expected = Array.from({ length }, () => one.nextUint32());
          const filled = new Uint32Array(length);
          new SeededRandom(seed).fillUint32(filled);
          expect([...filled]).toEqual(expected);
          // The generator state continues identically after a fill.
          const bulk = new SeededRandom(seed);
          bulk.fillUint32(new Uint32Array(length));
          expect(bulk.nextUint32()).toBe(one.nextUint32());
        },
      ),
    );
  });

  it("spreads floats evenly over [0, 1) and normals around 0 with spread 1", () => {
    const random = new SeededRandom(42);
    const floats = Array.from({ length: 50_000 }, () => random.nextFloat());
    expect(Math.min(...floats)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...floats)).toBeLessThan(1);
    expect(floats.reduce((sum, value) => sum + value, 0) / floats.length).toBeCloseTo(0.5, 2);
    const normals = Array.from({ length: 50_000 }, () => random.nextNormal());
    const mean = normals.reduce((sum, value) => sum + value, 0) / normals.length;
    const variance = normals.reduce((sum, value) => sum + (value - mean) ** 2, 0) / normals.length;
    expect(mean).toBeCloseTo(0, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(1, 1);
  });

  it("gives different streams to different seeds, and the same stream to the same seed", () => {
    expect(new SeededRandom(1).nextUint32()).not.toBe(new SeededRandom(2).nextUint32());
    const again = createSeededRandom(7);
    const values = Array.from({ length: 5 }, createSeededRandom(7));
    expect(values).toEqual(Array.from({ length: 5 }, again));
  });

  it("keeps the sfc32 stream the rollout simulations' published figures were drawn from", () => {
    // The first words for seed 20260101 (the simulations' seed), as the generator gave them when the figures
    // in src/rollout/core/README.md were measured: a change here changes those figures.
    const random = new SeededRandom(20260101);
    expect([random.nextUint32(), random.nextUint32(), random.nextUint32()]).toEqual([
      1096493443, 1200810419, 516092297,
    ]);
  });
});
