import { describe, expect, it } from "vitest";
import { chiSquareSurvival } from "../stats/chi-square-survival.js";
import { logGamma } from "../../../statistics/regularized-gamma.js";
import { samplePoisson } from "./sample-poisson.js";
import { createSeededRandom } from "../../../statistics/seeded-random.js";
import { addLookTraffic, emptyArms, expectedArrivals } from "./simulated-traffic.js";
import { chatBaselineBehaviour, chatTraffic, documentedTraffic } from "./simulation-scenarios.js";

describe("samplePoisson", () => {
  it.each([2.5, 6.25, 75])("matches the Poisson(%d) pmf (chi-square goodness of fit)", (mean) => {
    const random = createSeededRandom(Math.round(mean * 4));
    const draws = 40_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const k = samplePoisson(mean, random);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const maximum = Math.max(...counts.keys());
    let statistic = 0;
    let cells = 0;
    let pooledObserved = 0;
    let pooledExpected = 0;
    for (let k = 0; k <= maximum; k++) {
      pooledObserved += counts.get(k) ?? 0;
      pooledExpected += draws * Math.exp(-mean + k * Math.log(mean) - logGamma(k + 1));
      if (pooledExpected >= 5 || k === maximum) {
        statistic += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
        cells++;
        pooledObserved = 0;
        pooledExpected = 0;
      }
    }
    expect(chiSquareSurvival(statistic, cells - 1)).toBeGreaterThan(0.001);
  });

  it("draws nothing from a mean of 0 and refuses a negative mean", () => {
    const random = createSeededRandom(1);
    expect(samplePoisson(0, random)).toBe(0);
    expect(() => samplePoisson(-1, random)).toThrow(RangeError);
  });
});

describe("the simulated traffic", () => {
  it("averages unitsPerHour over a day, with 30% of it at 02:00 and 170% at 14:00", () => {
    expect(expectedArrivals(documentedTraffic, 0, 24)).toBeCloseTo(250 * 24, 9);
    expect(expectedArrivals(documentedTraffic, 37, 24)).toBeCloseTo(250 * 24, 9);
    expect(expectedArrivals(documentedTraffic, 2, 1e-6) / 1e-6).toBeCloseTo(250 * 0.3, 3);
    expect(expectedArrivals(documentedTraffic, 14, 1e-6) / 1e-6).toBeCloseTo(250 * 1.7, 3);
  });

  it("makes 1–3 requests per unit, labels a fifth of them, and splits by the share", () => {
    const arms = emptyArms();
    const random = createSeededRandom(3);
    const behaviour = { control: chatBaselineBehaviour, candidate: chatBaselineBehaviour };
    for (let hour = 0; hour < 24 * 7; hour++) {
      addLookTraffic(arms, chatTraffic, behaviour, { from: hour, hours: 1, share: 0.1 }, random);
    }
    const units = arms.control.assignedUnits + arms.candidate.assignedUnits;
    expect(units / (250 * 24 * 7)).toBeCloseTo(1, 1);
    expect(arms.candidate.assignedUnits / units).toBeCloseTo(0.1, 2);
    expect(arms.control.requests / arms.control.assignedUnits).toBeCloseTo(2, 1);
    expect(arms.control.scoredTurns! / arms.control.requests).toBeCloseTo(0.5, 1);
    expect(arms.control.badTurns! / arms.control.scoredTurns!).toBeCloseTo(0.3, 1);
    expect(arms.control.labelled).toBe(0);
    expect(arms.control.labelCounts).toEqual({});
  });
});
