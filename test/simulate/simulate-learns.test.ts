import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledPromptsDir, loadConfig } from "../../src/config.js";
import { readLabelledCsv } from "../../src/simulate/read-labelled-csv.js";
import { parseLabelMap } from "../../src/simulate/core/label-map.js";
import { toLabelledItems } from "../../src/simulate/core/labelled-items.js";
import { renderSimulationHtml } from "../../src/simulate/core/render-simulation-html.js";
import type { SimulationReport } from "../../src/simulate/core/simulation-report.js";
import { trafficFromFlags } from "../../src/simulate/core/simulation-flags.js";
import { runSimulation } from "../../src/simulate/run-simulation.js";
import { generatedBlindSpot, writeGeneratedReviewCsv } from "../support/generated-review-csv.js";
import { makeTempDir } from "../support/test-app.js";

/**
 * The whole loop, short: 3 simulated days of 300 users on 400 generated reviews, with the scripted model blind to
 * one word, the analysis every 6 hours from 60 labels, and an accelerated policy (a 20% safety stage of 6 h and
 * 10 candidate labels, a 50% decision stage of 6 h with 30 labels per arm). Everything else is the real service.
 */
const acceleratedPolicy = {
  rampSteps: [
    { share: 0.2, minimumDurationHours: 6, gate: "guardrails", minimumCandidateTrials: 10 },
    { share: 0.5, minimumDurationHours: 6, gate: "significance" },
    { share: 1, minimumDurationHours: 0, gate: "significance" },
  ],
  minimumLabelledPerArm: 30,
};

let report: SimulationReport;
let dir: string;

beforeAll(async () => {
  dir = await makeTempDir("promptloop-simulate-test-");
  const labels = ["正面", "负面"];
  const items = toLabelledItems(await readLabelledCsv(await writeGeneratedReviewCsv(dir, 400)), {
    textColumn: "review",
    labelColumn: "stars",
    labels,
    labelMap: parseLabelMap("1=正面,0=负面", labels),
  });
  const dataDir = path.join(dir, "data");
  await fs.mkdir(dataDir);
  const config = loadConfig(
    {},
    {
      DATA_DIR: dataDir,
      PROMPTS_DIR: bundledPromptsDir,
      ANALYSIS_CRON: "0 */6 * * *",
      ANALYSIS_MIN_LABELLED_SAMPLES: 60,
      ANALYSIS_MIN_PATTERN_SUPPORT: 10,
      ROLLOUT_POLICY: JSON.stringify(acceleratedPolicy),
    },
  );
  report = await runSimulation({
    datasetFile: "reviews.csv",
    items,
    task: "sentiment",
    labels,
    traffic: trafficFromFlags({ days: "3", usersPerDay: "300", seed: "7" }, labels),
    model: { kind: "scripted", blindSpots: [generatedBlindSpot] },
    config,
    goldSampleSize: 300,
  });
}, 240_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("promptloop simulate: three accelerated days", () => {
  it("finds the blind spot, drafts a version that mentions it, canaries and promotes it", () => {
    const types = report.events.map((event) => event.type);
    const draft = report.events.find((event) => event.type === "draft" && event.created);
    expect(draft).toMatchObject({ type: "draft", mentions: [generatedBlindSpot] });
    const draftVersion = draft?.type === "draft" ? draft.version : "";
    const canary = types.indexOf("canary");
    const ramp = types.indexOf("ramp");
    const promote = types.indexOf("promote");
    expect(canary).toBeGreaterThan(types.indexOf("draft"));
    expect(ramp).toBeGreaterThan(canary);
    expect(promote).toBeGreaterThan(ramp);
    expect(report.summary.promoted).toEqual([draftVersion]);
    expect(report.summary.harmfulPromotions).toEqual([]);
  });

  it("serves better answers at the end than at the start, by the gold labels", () => {
    const last = report.days.at(-1)!;
    expect(report.days[0]!.versions[0]).toMatchObject({ version: "sentiment@v1" });
    expect(last.versions.find((v) => v.version === "sentiment@v2")!.share).toBeGreaterThan(0.5);
    expect(report.summary.gainPoints).toBeGreaterThan(8);
    const v1 = report.versions.find((v) => v.id === "sentiment@v1")!;
    const v2 = report.versions.find((v) => v.id === "sentiment@v2")!;
    expect(v1.goldAccuracy).toBeCloseTo(1 - report.dataset.blindSpotShare[generatedBlindSpot]!, 6);
    expect(v2.goldAccuracy).toBe(1);
    expect(v2).toMatchObject({ source: "analysis", finalLabel: "active", mentions: [generatedBlindSpot] });
  });

  it("counts what users did each day and keeps the timeline in time order", () => {
    for (const day of report.days) {
      expect(day.users).toBe(300);
      expect(day.answers).toBeGreaterThanOrEqual(300);
      expect(day.feedback).toBeGreaterThan(0);
      expect(day.versions.reduce((sum, v) => sum + v.share, 0)).toBeCloseTo(1, 9);
    }
    const times = report.events.map((event) => event.at);
    expect([...times].sort()).toEqual(times);
    expect(report.model).toMatchObject({ scripted: true, blindSpots: [generatedBlindSpot] });
    expect(report.model.note).toMatch(/^SCRIPTED MODEL/);
  });

  it("renders a self-contained HTML report with both charts", () => {
    const html = renderSimulationHtml(report);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain(`class="markerlabel">promote v2</text>`);
  });
});
