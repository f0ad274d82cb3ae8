import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveSeed, SeededRandom } from "./seeded-random.js";

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

  it("gives different streams to different seeds and different tensor names", () => {
    expect(new SeededRandom(1).nextUint32()).not.toBe(new SeededRandom(2).nextUint32());
    expect(deriveSeed(1, "blk.0.attn_q.weight")).not.toBe(deriveSeed(1, "blk.0.attn_k.weight"));
    expect(deriveSeed(1, "output.weight")).not.toBe(deriveSeed(2, "output.weight"));
    expect(deriveSeed(1, "output.weight")).toBe(deriveSeed(1, "output.weight"));
  });
});
