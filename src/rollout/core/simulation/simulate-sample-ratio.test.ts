import { describe, expect, it } from "vitest";
import { createSeededRandom } from "../../../statistics/seeded-random.js";
import { simulateSampleRatioChecks } from "./simulate-sample-ratio.js";

// 14 days of 15-minute looks at 250 users an hour (84,000 units), as one stage would run them.
const base = {
  traffic: { unitsPerHour: 250, dailyAmplitude: 0.7 },
  expectedShare: 0.1,
  threshold: 0.001,
  concentration: 300,
  lookEveryHours: 0.25,
  hours: 14 * 24,
} as const;
const halted = (flags: number[]) => flags.filter(Number.isFinite).length / flags.length;

describe("the sample-ratio check under 15-minute looks for 14 days", () => {
  it("sequential: at most 1% false halts on a healthy 10/90 split, while a 12/88 split is caught", () => {
    const healthy = simulateSampleRatioChecks({
      ...base,
      trueShare: 0.1,
      method: "sequential",
      runs: 300,
      random: createSeededRandom(1),
    });
    expect(halted(healthy)).toBeLessThanOrEqual(0.01);
    const broken = simulateSampleRatioChecks({
      ...base,
      trueShare: 0.12,
      method: "sequential",
      runs: 100,
      random: createSeededRandom(2),
    });
    expect(halted(broken)).toBe(1);
  });

  it("chi-square at every look halts healthy experiments far more often than its 0.1% threshold suggests", () => {
    const healthy = simulateSampleRatioChecks({
      ...base,
      trueShare: 0.1,
      method: "chi-square",
      runs: 300,
      random: createSeededRandom(1),
    });
    // The bench measures about 5%; 300 runs put it above 1.5% with probability > 0.99.
    expect(halted(healthy)).toBeGreaterThan(0.015);
  });
});
