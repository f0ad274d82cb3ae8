import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { erfc, logNormalCdf, normalCdf, normalQuantile, normalSurvival } from "./normal-distribution.js";

// Reference values: mpmath at 30 digits. Relative precision matters in the tail, so compare ratios.
describe("erfc", () => {
  it.each([
    [0, 1],
    [0.1, 0.887537083981715],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [3, 2.209049699858544e-5],
    [5, 1.537459794428035e-12],
    [6, 2.1519736712498913e-17],
    [-1.5, 1.9661051464753108],
  ])("erfc(%d) = %d to 1e-12 relative", (x, expected) => {
    expect(erfc(x) / expected).toBeCloseTo(1, 12);
  });
});

describe("normal distribution", () => {
  it.each([
    [0.975, 1.9599639845400538],
    [0.5, 0],
    [0.001, -3.0902323061678136],
    [1e-10, -6.361340902404057],
    [0.9995, 3.290526731491926],
    [0.3, -0.5244005127080408],
  ])("Φ⁻¹(%d) = %d", (p, expected) => {
    expect(normalQuantile(p)).toBeCloseTo(expected, 11);
  });

  it("Φ(Φ⁻¹(p)) = p and Φ(z) + 1 − Φ(z) = 1", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
        expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 9);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (z) => {
        expect(normalCdf(z) + normalSurvival(z)).toBeCloseTo(1, 14);
      }),
    );
  });

  it.each([
    [-40, -804.6084420137538],
    [-5, -15.064998393988725],
    [0, Math.log(0.5)],
    [3, -0.0013508099647481938],
  ])("ln Φ(%d) = %d, even below the smallest double", (z, expected) => {
    expect(logNormalCdf(z)).toBeCloseTo(expected, 10);
  });

  it("is NaN outside (0, 1) and infinite at the ends", () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});
