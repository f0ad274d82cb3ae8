import { describe, expect, it } from "vitest";
import { createRolloutPolicy } from "../create-rollout-policy.js";
import { decisionQualityScenarios as scenarios, scenarioOf } from "./simulation-scenarios.js";
import { simulateExperiments } from "./simulate-experiments.js";
import { shareCrossedBy, simulateStageTestCrossings } from "./stage-test-power.js";
import { createSeededRandom } from "../../../statistics/seeded-random.js";

// Fewer runs than bench/rollout-simulation.ts (1,000 each), with a fixed seed, looks every 15 minutes, the
// day/night cycle and 1–3 requests per user. Each bound leaves a margin that is safe for its run count given the
// bench's rates (src/rollout/core/README.md): e.g. the small site's better candidate is promoted within 14 days in
// 88.8%, so 150 runs fall below 80% with probability ~3e-4; A/A halts run at 0.1%, promotions at 1.5%.
const policy = createRolloutPolicy();
const seed = 20_260_101;
const run = (scenario: (typeof scenarios)[keyof typeof scenarios], runs: number, chosen = policy) =>
  simulateExperiments({ scenario, policy: chosen, runs, seed }).summary;

describe("decision quality of the default (balanced) policy, by simulation", () => {
  it("at 25 users/h promotes 15% → 10% within 14 days in at least 80% of runs", () => {
    expect(run(scenarios.smallSiteBetter, 150).promotedWithinHorizon).toBeGreaterThanOrEqual(0.8);
  });

  it("at 25 users/h promotes 15% → 18% in at most 5% of runs", () => {
    expect(run(scenarios.smallSiteWorse, 100).promoted).toBeLessThanOrEqual(0.05);
  });

  it("promotes at most 5% of A/A experiments, and halts at most 1% on the sample ratio", () => {
    const summary = run(scenarios.aa, 150);
    expect(summary.promoted).toBeLessThanOrEqual(0.05);
    expect(summary.halted).toBeLessThanOrEqual(0.01);
  });

  it("promotes 15% → 10% in at least 80% of runs", () => {
    expect(run(scenarios.better, 100).promoted).toBeGreaterThanOrEqual(0.8);
  });

  it.each([
    ["errors 15% → 25%", scenarios.harmfulErrors],
    ["exits 10% → 20%", scenarios.harmfulExits],
  ])(
    "stops a harmful candidate (%s) in at least 95% of runs, at a median of at most 300 candidate labels",
    (_name, scenario) => {
      const summary = run(scenario, 200);
      expect(summary.promoted).toBe(0);
      expect(summary.rolledBack + summary.halted).toBeGreaterThanOrEqual(0.95);
      expect(summary.candidateTrialsAtStop!.median).toBeLessThanOrEqual(300);
    },
  );

  it("halts a 12/88 split in at least 95% of runs", () => {
    expect(run(scenarios.sampleRatioMismatch, 100).halted).toBeGreaterThanOrEqual(0.95);
  });

  it("judges chat on its bad-turn rate: A/A ≤ 5% promoted, 30% → 20% ≥ 80%, 30% → 40% rolled back ≥ 95%", () => {
    expect(run(scenarios.chatAa, 100).promoted).toBeLessThanOrEqual(0.05);
    expect(run(scenarios.chatBetter, 100).promoted).toBeGreaterThanOrEqual(0.8);
    expect(run(scenarios.chatHarmful, 100).rolledBack).toBeGreaterThanOrEqual(0.95);
  });

  it("looking once a day instead of every 15 minutes keeps A/A promotions under 5% too", () => {
    const daily = scenarioOf("A/A, daily looks", {}, {}, 24);
    expect(
      simulateExperiments({ scenario: daily, policy, runs: 100, seed }).summary.promoted,
    ).toBeLessThanOrEqual(0.05);
  });

  it("gives the same figures for the same seed", () => {
    const once = () => run(scenarios.harmfulExits, 20);
    expect(once()).toEqual(once());
  });
});

describe("balanced fitted to a small site (about 4 users/h, 100 a day), by simulation", () => {
  // The bench at 300 runs (src/rollout/core/README.md, "Small sites"): A/A promoted 1.7%, 15% → 5% promoted within
  // 14 days 78.3%, 15% → 25% never promoted. Without the fit none of them is promoted within 14 days.
  const smallSite = (name: string, errorRate: number) =>
    scenarioOf(`4 users/h, ${name}`, { errorRate }, { unitsPerHour: 4.17 });

  it("ships a large fix (15% → 5%) within 14 days in most runs, where the unfitted policy ships none", () => {
    const scenario = smallSite("errors 15% → 5%", 0.05);
    expect(
      simulateExperiments({ scenario, policy, runs: 60, seed }).summary.promotedWithinHorizon,
    ).toBeGreaterThan(0.6);
    const unfitted = createRolloutPolicy({ trafficAdaptation: { enabled: false } });
    expect(
      simulateExperiments({ scenario, policy: unfitted, runs: 20, seed }).summary.promotedWithinHorizon,
    ).toBe(0);
  });

  it("promotes at most 5% of A/A experiments and never a harmful one", () => {
    expect(run(smallSite("A/A", 0.15), 100).promoted).toBeLessThanOrEqual(0.05);
    const harmful = run(smallSite("errors 15% → 25%", 0.25), 60);
    expect(harmful.promoted).toBe(0);
    expect(harmful.rolledBack).toBeGreaterThanOrEqual(0.95);
  });
});

describe("the other presets, by simulation", () => {
  it("strict (the behaviour before the presets) rarely ships 15% → 10% at 25 users/h within 14 days", () => {
    const strict = createRolloutPolicy({ preset: "strict" });
    expect(run(scenarios.smallSiteBetter, 60, strict).promotedWithinHorizon).toBeLessThanOrEqual(0.1);
  });

  it("writeup ships whatever no guardrail stops: 15% → 18% at 25 users/h is promoted", () => {
    const writeup = createRolloutPolicy({ preset: "writeup" });
    expect(run(scenarios.smallSiteWorse, 60, writeup).promoted).toBeGreaterThanOrEqual(0.8);
  });
});

describe("stage test power curve", () => {
  it("detects 15% → 10% more often with more labels, and rarely crosses under no difference", () => {
    const options = {
      controlRate: 0.15,
      controlPerCandidate: 9,
      alternative: "less",
      mixtureStandardDeviation: 0.05,
      alpha: 0.05,
      minimumCandidateTrials: 300,
      maximumCandidateTrials: 1000,
      lookEvery: 10,
      runs: 300,
    } as const;
    const better = simulateStageTestCrossings({
      ...options,
      candidateRate: 0.1,
      random: createSeededRandom(seed),
    });
    const same = simulateStageTestCrossings({
      ...options,
      candidateRate: 0.15,
      random: createSeededRandom(seed),
    });
    expect(shareCrossedBy(better, 1000)).toBeGreaterThan(shareCrossedBy(better, 400));
    expect(shareCrossedBy(better, 1000)).toBeGreaterThan(0.85);
    expect(shareCrossedBy(same, 1000)).toBeLessThan(0.05);
    expect(shareCrossedBy(better, 299)).toBe(0);
  });
});
