/**
 * Decision quality of the rollout core, by simulation: many experiments per scenario run through decideRollout
 * (hourly looks, ramps applied, the default policy), plus the power curve of one stage's promotion test and the
 * sample-ratio threshold. Prints one JSON line, then tables.
 *
 *   npx tsx bench/rollout-simulation.ts [--runs 1000] [--seed 20260101] [--json]
 *
 * Takes about two minutes at 1,000 runs per scenario on one core.
 */
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { createRolloutPolicy, type RolloutPolicy } from "../src/rollout/core/rollout-policy.js";
import { createSeededRandom } from "../src/rollout/core/simulation/seeded-random.js";
import {
  decisionQualityScenarios,
  documentedTraffic,
  scenarioOf,
} from "../src/rollout/core/simulation/simulation-scenarios.js";
import {
  quantile,
  simulateExperiments,
  type SimulationSummary,
} from "../src/rollout/core/simulation/simulate-experiments.js";
import type { SimulationScenario } from "../src/rollout/core/simulation/simulate-experiment.js";
import {
  shareCrossedBy,
  simulateStageTestCrossings,
} from "../src/rollout/core/simulation/stage-test-power.js";
import { sampleRatioTest } from "../src/rollout/core/stats/sample-ratio-test.js";

/** Candidate labelled counts at which the power curve is read. */
const curvePoints = [100, 200, 300, 400, 500, 600, 800, 1000, 1500, 2000];

interface ScenarioFigures {
  key: string;
  looks: "hourly" | "daily";
  summary: SimulationSummary;
  seconds: number;
}

interface CurveFigures {
  name: string;
  /** Share of runs whose test had crossed by each candidate labelled count. */
  crossedBy: Record<number, number>;
  medianCrossing: number | null;
}

/** Runs every figure the issue asks for; pure apart from the clock used to time it. */
export function runRolloutSimulationBench(options: { runs: number; seed: number }) {
  const { runs, seed } = options;
  const policy = createRolloutPolicy();
  const sequentialCheck = createRolloutPolicy({ sampleRatioMethod: "sequential" });
  const scenarios: Array<[string, SimulationScenario, "hourly" | "daily", RolloutPolicy]> = [
    ["aa", decisionQualityScenarios.aa, "hourly", policy],
    ["better", decisionQualityScenarios.better, "hourly", policy],
    ["harmfulErrors", decisionQualityScenarios.harmfulErrors, "hourly", policy],
    ["harmfulExits", decisionQualityScenarios.harmfulExits, "hourly", policy],
    ["sampleRatioMismatch", decisionQualityScenarios.sampleRatioMismatch, "hourly", policy],
    ["aa", scenarioOf("A/A (no difference), daily looks", {}, {}, 24), "daily", policy],
    [
      "better",
      scenarioOf("better: errors 15% → 10%, daily looks", { errorRate: 0.1 }, {}, 24),
      "daily",
      policy,
    ],
    ["aa", { ...decisionQualityScenarios.aa, name: "A/A, sequential SRM check" }, "hourly", sequentialCheck],
    [
      "sampleRatioMismatch",
      { ...decisionQualityScenarios.sampleRatioMismatch, name: "12/88, sequential SRM check" },
      "hourly",
      sequentialCheck,
    ],
  ];
  const figures: ScenarioFigures[] = scenarios.map(([key, scenario, looks, scenarioPolicy]) => {
    const started = performance.now();
    const { summary } = simulateExperiments({ scenario, policy: scenarioPolicy, runs, seed });
    return { key, looks, summary, seconds: round((performance.now() - started) / 1000, 1) };
  });
  return {
    bench: "rollout-simulation",
    runs,
    seed,
    traffic: documentedTraffic,
    policy: {
      rampSteps: policy.rampSteps,
      minimumLabelledPerArm: policy.minimumLabelledPerArm,
      promotionAlpha: policy.promotion.alpha,
      tau: policy.promotion.mixtureStandardDeviation,
      guardrailAlpha: policy.guardrailAlpha,
      sampleRatioThreshold: policy.sampleRatioThreshold,
      maximumStageDurationHours: policy.maximumStageDurationHours,
    },
    scenarios: figures,
    sampleRatioThreshold: exactSplitThreshold(policy),
    powerCurves: powerCurves(policy, seed, Math.max(runs * 2, 200)),
  };
}

/** The smallest number of units at which an exact 12/88 split (expected 10/90) is flagged. */
function exactSplitThreshold(policy: RolloutPolicy): { units: number; statistic: number; pValue: number } {
  for (let units = 100; ; units += 1) {
    const candidate = Math.round(units * 0.12);
    const result = sampleRatioTest({
      observed: [units - candidate, candidate],
      expectedShares: [0.9, 0.1],
      threshold: policy.sampleRatioThreshold,
    });
    if (result.mismatch) return { units, statistic: round(result.statistic, 2), pValue: result.pValue };
  }
}

/**
 * One stage's promotion test alone (no duration minimum), looked at every 5 candidate labels up to 3,000: how
 * the detection of 15% → 10% grows with the labels, with and without the policy's minimum, at 10% and 50%
 * allocation; the A/A false-promotion rate; and the τ choice (0.02, 0.05, 0.1) for improvement and harm.
 */
function powerCurves(policy: RolloutPolicy, seed: number, runs: number): CurveFigures[] {
  const { alpha, mixtureStandardDeviation } = policy.promotion;
  const base = { controlRate: 0.15, lookEvery: 5, maximumCandidateTrials: 3000, runs, alpha } as const;
  const curves: Array<[string, Parameters<typeof simulateStageTestCrossings>[0]]> = [];
  for (const [allocation, controlPerCandidate] of [
    ["10%", 9],
    ["50%", 1],
  ] as const) {
    for (const minimum of [10, policy.minimumLabelledPerArm]) {
      curves.push([
        `15%→10% at ${allocation}, minimum ${minimum}, τ ${mixtureStandardDeviation}`,
        {
          ...base,
          candidateRate: 0.1,
          controlPerCandidate,
          alternative: "less",
          mixtureStandardDeviation,
          minimumCandidateTrials: minimum,
          random: createSeededRandom(seed),
        },
      ]);
      curves.push([
        `A/A at ${allocation}, minimum ${minimum} (false promotions)`,
        {
          ...base,
          candidateRate: 0.15,
          controlPerCandidate,
          alternative: "less",
          mixtureStandardDeviation,
          minimumCandidateTrials: minimum,
          random: createSeededRandom(seed),
        },
      ]);
    }
  }
  const guardrailAlpha = policy.guardrailAlpha / 6;
  for (const tau of [0.02, 0.05, 0.1]) {
    curves.push([
      `τ ${tau}: 15%→10% at 10%, minimum ${policy.minimumLabelledPerArm}`,
      {
        ...base,
        candidateRate: 0.1,
        controlPerCandidate: 9,
        alternative: "less",
        mixtureStandardDeviation: tau,
        minimumCandidateTrials: policy.minimumLabelledPerArm,
        random: createSeededRandom(seed),
      },
    ]);
    curves.push([
      `τ ${tau}: harm 15%→25% at 10% (guardrail, α ${round(guardrailAlpha, 4)}, minimum 30)`,
      {
        ...base,
        candidateRate: 0.25,
        controlPerCandidate: 9,
        alternative: "greater",
        mixtureStandardDeviation: tau,
        alpha: guardrailAlpha,
        minimumCandidateTrials: 30,
        random: createSeededRandom(seed),
      },
    ]);
  }
  return curves.map(([name, options]) => {
    const crossings = simulateStageTestCrossings(options);
    const crossedBy = Object.fromEntries(
      curvePoints.map((point) => [point, round(shareCrossedBy(crossings, point), 3)]),
    );
    const median = quantile(crossings, 0.5);
    return { name, crossedBy, medianCrossing: Number.isFinite(median) ? median : null };
  });
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "1000" },
      seed: { type: "string", default: "20260101" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log("usage: npx tsx bench/rollout-simulation.ts [--runs N] [--seed S] [--json]");
    return;
  }
  const result = runRolloutSimulationBench({ runs: Number(values.runs), seed: Number(values.seed) });
  console.log(JSON.stringify(result));
  if (values.json) return;
  console.table(
    Object.fromEntries(
      result.scenarios.map(({ summary, looks, seconds }) => [
        `${summary.scenario}${looks === "daily" && !summary.scenario.includes("daily") ? ", daily" : ""}`,
        {
          promoted: percent(summary.promoted),
          "rolled back": percent(summary.rolledBack),
          "  by guardrail": percent(summary.rolledBackByGuardrail),
          halted: percent(summary.halted),
          "median hours": summary.medianHours,
          "candidate labelled at rollback (median / p90)": summary.candidateLabelledAtGuardrailRollback
            ? `${summary.candidateLabelledAtGuardrailRollback.median} / ${summary.candidateLabelledAtGuardrailRollback.p90}`
            : "",
          "units at halt (median / p95)": summary.unitsAtHalt
            ? `${summary.unitsAtHalt.median} / ${summary.unitsAtHalt.p95}`
            : "",
          "candidate labelled at promotion (median)": summary.candidateLabelledAtPromotion?.median ?? "",
          "guardrails that fired": Object.entries(summary.guardrailCounts)
            .map(([name, count]) => `${name} ${count}`)
            .join(", "),
          seconds,
        },
      ]),
    ),
  );
  const threshold = result.sampleRatioThreshold;
  console.log(
    `An exact 12/88 split is flagged from ${threshold.units} units (χ² = ${threshold.statistic}, p = ${threshold.pValue.toExponential(2)}).`,
  );
  console.table(
    Object.fromEntries(
      result.powerCurves.map((curve) => [
        curve.name,
        {
          ...Object.fromEntries(Object.entries(curve.crossedBy).map(([n, share]) => [`≤${n}`, share])),
          median: curve.medianCrossing ?? "never",
        },
      ]),
    ),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
