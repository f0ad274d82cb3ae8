/**
 * Decision quality of the rollout core, by simulation: many experiments per scenario run through decideRollout
 * (looks every 15 minutes, a day/night cycle, 1–3 requests per user, ramps applied), for the default policy, the
 * other presets and five traffic levels; the sample-ratio check alone (chi-square against the sequential test);
 * and the power curve of one stage's promotion test. Prints one JSON line, then Markdown tables.
 *
 *   npx tsx bench/rollout-simulation.ts [--runs 1000] [--seed 20260101] [--only decision,presets,traffic,srm,power]
 *     [--traffic-levels 4,10,25,100,250,1000] [--json]
 *
 * Takes about 25 minutes at 1,000 runs per scenario on one core (progress on stderr).
 */
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { createRolloutPolicy } from "../src/rollout/core/create-rollout-policy.js";
import { documentedTraffic } from "../src/rollout/core/simulation/simulation-scenarios.js";
import { sampleRatioTest } from "../src/rollout/core/stats/sample-ratio-test.js";
import { powerCurves } from "./lib/rollout-power-curves.js";
import {
  decisionQuality,
  presetComparison,
  sampleRatioComparison,
  trafficTable,
  type SampleRatioFigures,
  type ScenarioFigures,
} from "./lib/rollout-simulation-figures.js";

const sectionNames = ["decision", "presets", "traffic", "srm", "power"] as const;
type Section = (typeof sectionNames)[number];

/** Runs the chosen sections; pure apart from the clock used to time them. */
export function runRolloutSimulationBench(options: {
  runs: number;
  seed: number;
  only?: readonly Section[] | undefined;
  trafficLevels?: readonly number[] | undefined;
}) {
  const { runs, seed } = options;
  const only = new Set(options.only ?? sectionNames);
  const policy = createRolloutPolicy();
  return {
    bench: "rollout-simulation",
    runs,
    seed,
    traffic: documentedTraffic,
    lookEveryMinutes: 15,
    policy,
    decisionQuality: only.has("decision") ? decisionQuality(runs, seed) : [],
    presets: only.has("presets") ? presetComparison(runs, seed) : [],
    trafficTable: only.has("traffic") ? trafficTable(runs, seed, options.trafficLevels) : [],
    sampleRatio: only.has("srm") ? sampleRatioComparison(runs, seed) : [],
    exactSplitThresholds: only.has("srm") ? exactSplitThresholds() : [],
    powerCurves: only.has("power") ? powerCurves(policy, seed, Math.max(runs * 2, 200)) : [],
  };
}

/** The smallest number of units at which an exact 12/88 split (expected 10/90) is flagged, per method. */
function exactSplitThresholds(): Array<{ method: string; units: number }> {
  return (["chi-square", "sequential"] as const).map((method) => {
    for (let units = 100; ; units += 1) {
      const candidate = Math.round(units * 0.12);
      const result = sampleRatioTest({
        observed: [units - candidate, candidate],
        expectedShares: [0.9, 0.1],
        threshold: 0.001,
        method,
        concentration: 300,
      });
      if (result.mismatch) return { method, units };
    }
  });
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** A Markdown table. */
function table(header: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function scenarioRows(figures: readonly ScenarioFigures[]) {
  return figures.map(({ preset, summary }) => [
    preset,
    summary.scenario,
    percent(summary.promoted),
    percent(summary.promotedWithinHorizon),
    `${percent(summary.rolledBack)} (${percent(summary.rolledBackByGuardrail)} / ${percent(summary.rolledBackAsFutile)})`,
    percent(summary.halted),
    summary.medianHours,
    summary.candidateTrialsAtStop
      ? `${summary.candidateTrialsAtStop.median} / ${summary.candidateTrialsAtStop.p90}`
      : "",
    summary.candidateTrialsAtPromotion?.median ?? "",
  ]);
}

const scenarioHeader = [
  "preset",
  "scenario",
  "promoted",
  "≤ 14 days",
  "rolled back (guardrail / futility)",
  "halted",
  "median h to decision",
  "candidate trials at stop (median / p90)",
  "candidate trials at promotion (median)",
];

function sampleRatioRows(figures: readonly SampleRatioFigures[]) {
  return figures.map((f) => [
    `${f.unitsPerHour}`,
    `${Math.round(f.trueShare * 100)}/${Math.round((1 - f.trueShare) * 100)} for ${Math.round(f.expectedShare * 100)}/${Math.round((1 - f.expectedShare) * 100)}`,
    f.method === "chi-square" ? "chi-square" : `sequential, c = ${f.concentration}`,
    percent(f.halted),
    f.medianUnitsAtHalt ?? "",
  ]);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "1000" },
      seed: { type: "string", default: "20260101" },
      only: { type: "string" },
      "traffic-levels": { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(
      `usage: npx tsx bench/rollout-simulation.ts [--runs N] [--seed S] [--only ${sectionNames.join(",")}] ` +
        `[--traffic-levels 4,10,25,100,250,1000] [--json]`,
    );
    return;
  }
  const only = values.only?.split(",").map((name) => name.trim()) as Section[] | undefined;
  const unknown = only?.filter((name) => !sectionNames.includes(name)) ?? [];
  if (unknown.length > 0) throw new Error(`Unknown section(s): ${unknown.join(", ")}`);
  const levels = values["traffic-levels"]?.split(",").map(Number);
  if (levels?.some((level) => !(level > 0)))
    throw new Error(`--traffic-levels: positive numbers, comma-separated`);
  const result = runRolloutSimulationBench({
    runs: Number(values.runs),
    seed: Number(values.seed),
    only,
    trafficLevels: levels,
  });
  console.log(JSON.stringify(result));
  if (values.json) return;
  const scenarios = [...result.decisionQuality, ...result.presets];
  if (scenarios.length > 0) console.log(`\n${table(scenarioHeader, scenarioRows(scenarios))}`);
  if (result.trafficTable.length > 0) {
    console.log(`\n${table(scenarioHeader, scenarioRows(result.trafficTable))}`);
  }
  if (result.sampleRatio.length > 0) {
    console.log(
      `\n${table(
        ["users/h", "true split for configured", "method", "halted within 14 days", "median units at halt"],
        sampleRatioRows(result.sampleRatio),
      )}`,
    );
    for (const { method, units } of result.exactSplitThresholds) {
      console.log(`An exact 12/88 split (expected 10/90) is flagged by ${method} from ${units} units.`);
    }
  }
  if (result.powerCurves.length > 0) {
    console.log(
      `\n${table(
        ["curve", ...Object.keys(result.powerCurves[0]!.crossedBy).map((n) => `≤${n}`), "median"],
        result.powerCurves.map((curve) => [
          curve.name,
          ...Object.values(curve.crossedBy),
          curve.medianCrossing ?? "never",
        ]),
      )}`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
