import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.js";
import { assignArm, assignmentBucket } from "./assign-arm.js";
import { chiSquareSurvival } from "./stats/chi-square-survival.js";
import type { HashVersion } from "./unit-interval-hash.js";

const hashVersion: HashVersion = 1;

describe("assignArm", () => {
  it("keeps every candidate unit in the candidate arm while the share ramps up", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (experimentId, unitHash, shareA, shareB) => {
          const [lower, higher] = shareA <= shareB ? [shareA, shareB] : [shareB, shareA];
          const before = assignArm({ experimentId, unitHash, canaryShare: lower, hashVersion });
          const after = assignArm({ experimentId, unitHash, canaryShare: higher, hashVersion });
          if (before === "candidate") expect(after).toBe("candidate");
        },
      ),
    );
  });

  it("ramping along 10% → 50% → 100% only adds units to the candidate arm", () => {
    const units = Array.from({ length: 5000 }, (_, i) => `user-${i}`);
    const arms = (share: number) =>
      units.map((unitHash) =>
        assignArm({ experimentId: "exp-ramp", unitHash, canaryShare: share, hashVersion }),
      );
    const [ten, fifty, all] = [arms(0.1), arms(0.5), arms(1)];
    units.forEach((_, i) => {
      if (ten[i] === "candidate") expect(fifty[i]).toBe("candidate");
      if (fifty[i] === "candidate") expect(all[i]).toBe("candidate");
    });
    expect(all.every((arm) => arm === "candidate")).toBe(true);
    expect(arms(0).every((arm) => arm === "control")).toBe(true);
  });

  it("gives a unit the same arm on every call (sticky for the whole experiment)", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (experimentId, unitHash, share) => {
          const options = { experimentId, unitHash, canaryShare: share, hashVersion };
          expect(assignArm(options)).toBe(assignArm({ ...options }));
        },
      ),
    );
  });

  it("draws an independent canary group for each experiment", () => {
    const units = Array.from({ length: 20_000 }, (_, i) => `session-${i}`);
    const inBoth = units.filter(
      (unitHash) =>
        assignArm({ experimentId: "exp-a", unitHash, canaryShare: 0.1, hashVersion }) === "candidate" &&
        assignArm({ experimentId: "exp-b", unitHash, canaryShare: 0.1, hashVersion }) === "candidate",
    ).length;
    // Independent 10% groups overlap on 1% of units: 200 expected, sd ≈ 14.
    expect(inBoth).toBeGreaterThan(200 - 5 * 14);
    expect(inBoth).toBeLessThan(200 + 5 * 14);
  });

  it("spreads sequential ids uniformly over [0, 1) (chi-square over 100 buckets)", () => {
    const buckets = new Array<number>(100).fill(0);
    const units = 100_000;
    for (let i = 0; i < units; i++) {
      const bucket = Math.floor(assignmentBucket("exp-uniform", `user-${i}`, hashVersion) * 100);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    const expected = units / 100;
    const statistic = buckets.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    expect(chiSquareSurvival(statistic, 99)).toBeGreaterThan(0.001);
  });

  it("puts close to the configured share of units in the candidate arm", () => {
    const units = 50_000;
    let candidates = 0;
    for (let i = 0; i < units; i++) {
      if (
        assignArm({ experimentId: "exp-share", unitHash: `u${i}`, canaryShare: 0.1, hashVersion }) ===
        "candidate"
      ) {
        candidates++;
      }
    }
    // Binomial(50,000, 0.1): sd ≈ 67; five sd either way.
    expect(Math.abs(candidates - 5000)).toBeLessThan(5 * 67);
  });

  it("rejects a share outside [0, 1] and an unknown hash version", () => {
    expect(() => assignArm({ experimentId: "e", unitHash: "u", canaryShare: 1.5, hashVersion })).toThrow(
      AppError,
    );
    expect(() => assignmentBucket("e", "u", 9 as HashVersion)).toThrow(/hash version 9/);
  });
});
