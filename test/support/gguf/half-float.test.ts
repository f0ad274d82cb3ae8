import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromHalfFloatBits, toHalfFloatBits } from "./half-float.js";

describe("half floats", () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.1, 0x2e66],
    [65504, 0x7bff],
    [65520, 0x7c00], // halfway past the largest finite half rounds up to infinity
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // exactly half of it rounds to even (zero)
    [3 * 2 ** -25, 0x0002], // 1.5 subnormal steps round to even (two)
    [2 ** -14, 0x0400], // smallest normal
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
  ])("encodes %f as %i", (value, bits) => {
    expect(toHalfFloatBits(value)).toBe(bits);
  });

  it("encodes NaN as a NaN", () => {
    expect(Number.isNaN(fromHalfFloatBits(toHalfFloatBits(Number.NaN)))).toBe(true);
  });

  it("round-trips every non-NaN bit pattern", () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = fromHalfFloatBits(bits);
      if (!Number.isNaN(value)) expect(toHalfFloatBits(value)).toBe(bits);
    }
  });

  it("rounds any value in range to a nearest half", () => {
    fc.assert(
      fc.property(fc.double({ min: -65504, max: 65504, noNaN: true }), (value) => {
        const bits = toHalfFloatBits(value);
        const rounded = fromHalfFloatBits(bits);
        const neighbours = [bits - 1, bits + 1].filter((b) => (b & 0x7fff) < 0x7c00).map(fromHalfFloatBits);
        for (const neighbour of neighbours) {
          expect(Math.abs(rounded - value)).toBeLessThanOrEqual(Math.abs(neighbour - value));
        }
      }),
    );
  });
});
