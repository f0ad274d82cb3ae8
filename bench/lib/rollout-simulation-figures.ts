/**
 * The figures of bench/rollout-simulation.ts, section by section: pure apart from the clock used to time them
 * and progress lines on stderr. Every scenario runs `runs` experiments from the same seed.
 */
import { createRolloutPolicy } from "../../src/rollout/core/create-rollout-policy.js";
import type { RolloutPolicy, RolloutPresetName } from "../../src/rollout/core/rollout-policy.js";
import { rolloutPresetNames } from "../../src/rollout/core/rollout-presets.js";
import { createSeededRandom } from "../../src/statistics/seeded-random.js";
import { adaptPolicyToTraffic } from "../../src/rollout/core/adapt-policy-to-traffic.js";
import {
  expectedTraffic,
  type SimulationScenario,
} from "../../src/rollout/core/simulation/simulate-experiment.js";
import {
  quantile,
  simulateExperiments,
  type SimulationSummary,
} from "../../src/rollout/core/simulation/simulate-experiments.js";
import { simulateSampleRatioChecks } from "../../src/rollout/core/simulation/simulate-sample-ratio.js";
import {
  decisionQualityScenarios as scenarios,
  defaultLookEveryHours,
  scenarioOf,
} from "../../src/rollout/core/simulation/simulation-scenarios.js";
import type { SampleRatioMethod } from "../../src/rollout/core/stats/sample-ratio-test.js";
import { progress } from "./section-protocol.js";

export interface ScenarioFigures {
  key: string;
  preset: RolloutPresetName;
  summary: SimulationSummary;
  seconds: number;
}

function simulate(
  key: string,
  scenario: SimulationScenario,
  policy: RolloutPolicy,
  runs: number,
  seed: number,
): ScenarioFigures {
  const started = performance.now();
  const { summary } = simulateExperiments({ scenario, policy, runs, seed });
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  progress("rollout-simulation", `${policy.preset}: ${scenario.name} (${seconds} s)`);
  return { key, preset: policy.preset, summary, seconds };
}

/** The issues' scenarios under the default policy (balanced), looks every 15 minutes. */
export function decisionQuality(runs: number, seed: number): ScenarioFigures[] {
  const policy = createRolloutPolicy();
  const mildlyWorse = scenarioOf("worse: errors 15% → 18%", { errorRate: 0.18 });
  const dailyAa = scenarioOf("A/A, daily looks", {}, {}, 24);
  const list: Array<[string, SimulationScenario]> = [
    ["aa", scenarios.aa],
    ["better", scenarios.better],
    ["mildlyWorse", mildlyWorse],
    ["harmfulErrors", scenarios.harmfulErrors],
    ["harmfulExits", scenarios.harmfulExits],
    ["sampleRatioMismatch", scenarios.sampleRatioMismatch],
    ["dailyAa", dailyAa],
    ["smallSiteAa", scenarios.smallSiteAa],
    ["smallSiteBetter", scenarios.smallSiteBetter],
    ["smallSiteWorse", scenarios.smallSiteWorse],
    ["chatAa", scenarios.chatAa],
    ["chatBetter", scenarios.chatBetter],
    ["chatHarmful", scenarios.chatHarmful],
  ];
  return list.map(([key, scenario]) => simulate(key, scenario, policy, runs, seed));
}

/** The three presets side by side on the scenarios that tell them apart. */
export function presetComparison(runs: number, seed: number): ScenarioFigures[] {
  const list: Array<[string, SimulationScenario]> = [
    ["smallSiteBetter", scenarios.smallSiteBetter],
    ["smallSiteWorse", scenarios.smallSiteWorse],
    ["aa", scenarios.aa],
    ["better", scenarios.better],
    ["harmfulErrors", scenarios.harmfulErrors],
  ];
  return rolloutPresetNames
    .filter((name) => name !== "balanced")
    .flatMap((preset) =>
      list.map(([key, scenario]) => simulate(key, scenario, createRolloutPolicy({ preset }), runs, seed)),
    );
}

export const trafficLevels = [4, 10, 25, 100, 250, 1000] as const;

/**
 * The default policy at each traffic level (or the levels given): A/A, 15% → 10%, a large fix 15% → 5% and
 * 15% → 25%. Where balanced fits its stages to the traffic (below about 24 users an hour), the same scenarios also
 * run with the fit turned off (`not adapted`: the policy before it existed), from the same seed.
 */
export function trafficTable(
  runs: number,
  seed: number,
  levels: readonly number[] = trafficLevels,
): ScenarioFigures[] {
  const adapted = createRolloutPolicy();
  const fixed = createRolloutPolicy({ trafficAdaptation: { enabled: false } });
  const candidates = [
    ["aa", {}],
    ["better", { errorRate: 0.1 }],
    ["largeFix", { errorRate: 0.05 }],
    ["harmfulErrors", { errorRate: 0.25 }],
  ] as const;
  return levels.flatMap((unitsPerHour) =>
    candidates.flatMap(([key, candidate]) => {
      const scenario = scenarioOf(`${unitsPerHour} users/h, ${key}`, candidate, { unitsPerHour });
      const fitted = adaptPolicyToTraffic(adapted, expectedTraffic(scenario));
      const rows = [simulate(`${key}@${unitsPerHour}`, scenario, adapted, runs, seed)];
      if (fitted !== adapted) {
        const before = { ...scenario, name: `${scenario.name} (not adapted)` };
        rows.push(simulate(`${key}@${unitsPerHour}/notAdapted`, before, fixed, runs, seed));
      }
      return rows;
    }),
  );
}

export interface SampleRatioFigures {
  unitsPerHour: number;
  expectedShare: number;
  trueShare: number;
  method: SampleRatioMethod;
  concentration: number | null;
  /** Share of runs halted within 14 days of 15-minute looks. */
  halted: number;
  /** Units in the stage at the halt: median, or null without halts. */
  medianUnitsAtHalt: number | null;
}

/** The sample-ratio check alone over 14 days of 15-minute looks: chi-square against the sequential test. */
export function sampleRatioComparison(runs: number, seed: number): SampleRatioFigures[] {
  const methods: Array<[SampleRatioMethod, number | null]> = [
    ["chi-square", null],
    ["sequential", 300],
    ["sequential", 1000],
    ["sequential", 10_000],
  ];
  const figures: SampleRatioFigures[] = [];
  for (const unitsPerHour of [25, 250]) {
    for (const [expectedShare, trueShare] of [
      [0.1, 0.1],
      [0.1, 0.12],
      [0.5, 0.5],
      [0.5, 0.52],
    ] as const) {
      for (const [method, concentration] of methods) {
        const flags = simulateSampleRatioChecks({
          traffic: { unitsPerHour, dailyAmplitude: 0.7 },
          expectedShare,
          trueShare,
          method,
          threshold: 0.001,
          concentration: concentration ?? 300,
          lookEveryHours: defaultLookEveryHours,
          hours: 14 * 24,
          runs,
          random: createSeededRandom(seed),
        });
        const halts = flags.filter(Number.isFinite);
        figures.push({
          unitsPerHour,
          expectedShare,
          trueShare,
          method,
          concentration,
          halted: halts.length / runs,
          medianUnitsAtHalt: halts.length === 0 ? null : quantile(halts, 0.5),
        });
      }
      progress(
        "rollout-simulation",
        `sample ratio ${unitsPerHour} users/h, ${trueShare} for ${expectedShare}`,
      );
    }
  }
  return figures;
}
