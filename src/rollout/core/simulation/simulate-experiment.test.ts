import { describe, expect, it } from "vitest";
import { createRolloutPolicy } from "../rollout-policy.js";
import { decisionQualityScenarios, scenarioOf } from "./simulation-scenarios.js";
import { simulateExperiments } from "./simulate-experiments.js";
import { shareCrossedBy, simulateStageTestCrossings } from "./stage-test-power.js";
import { createSeededRandom } from "./seeded-random.js";

// Fewer runs than bench/rollout-simulation.ts (1,000 each), with a fixed seed. Each bound leaves a margin that is
// safe for its run count given the bench's rates: A/A promotes in 0.1% (150 runs pass 5% with probability ~0), the
// better candidate is promoted in 94% (100 runs fall below 80% with probability < 1e-5), the harmful one rolled
// back in 98.5% (200 runs fall below 95% with probability ~3e-4); A/A false halts run at 2.3%, so their bound is 8%.
const policy = createRolloutPolicy();
const seed = 20_260_101;

describe("decision quality (simulation)", () => {
  it("promotes at most 5% of A/A experiments (hourly looks)", () => {
    const { summary } = simulateExperiments({
      scenario: decisionQualityScenarios.aa,
      policy,
      runs: 150,
      seed,
    });
    expect(summary.promoted).toBeLessThanOrEqual(0.05);
    // Not targets of the issue, but the guardrails' and the SRM check's own false-alarm budgets.
    expect(summary.rolledBackByGuardrail).toBeLessThanOrEqual(0.1);
    expect(summary.halted).toBeLessThanOrEqual(0.08);
  });

  it("promotes a candidate that lowers errors from 15% to 10% in at least 80% of runs", () => {
    const { summary } = simulateExperiments({
      scenario: decisionQualityScenarios.better,
      policy,
      runs: 100,
      seed,
    });
    expect(summary.promoted).toBeGreaterThanOrEqual(0.8);
  });

  it("rolls back a candidate with 10 points more errors in at least 95% of runs, within 300 labelled (median)", () => {
    const { summary } = simulateExperiments({
      scenario: decisionQualityScenarios.harmfulErrors,
      policy,
      runs: 200,
      seed,
    });
    expect(summary.rolledBack).toBeGreaterThanOrEqual(0.95);
    expect(summary.candidateLabelledAtGuardrailRollback!.median).toBeLessThanOrEqual(300);
  });

  it("rolls back a candidate that doubles the exit rate in at least 95% of runs", () => {
    const { summary } = simulateExperiments({
      scenario: decisionQualityScenarios.harmfulExits,
      policy,
      runs: 200,
      seed,
    });
    expect(summary.rolledBack).toBeGreaterThanOrEqual(0.95);
    expect(summary.candidateLabelledAtGuardrailRollback!.median).toBeLessThanOrEqual(300);
  });

  it("halts a 12/88 split on the sample-ratio check, typically within a few thousand units", () => {
    const { summary } = simulateExperiments({
      scenario: decisionQualityScenarios.sampleRatioMismatch,
      policy,
      runs: 200,
      seed,
    });
    expect(summary.halted).toBeGreaterThanOrEqual(0.95);
    expect(summary.unitsAtHalt!.median).toBeLessThan(5000);
  });

  it("looking once a day instead of hourly keeps A/A promotions under 5% too", () => {
    const daily = scenarioOf("A/A, daily looks", {}, {}, 24);
    const { summary } = simulateExperiments({ scenario: daily, policy, runs: 150, seed });
    expect(summary.promoted).toBeLessThanOrEqual(0.05);
  });

  it("gives the same figures for the same seed", () => {
    const run = () =>
      simulateExperiments({ scenario: decisionQualityScenarios.harmfulExits, policy, runs: 20, seed })
        .summary;
    expect(run()).toEqual(run());
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
