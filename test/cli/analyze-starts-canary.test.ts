import { afterEach, describe, expect, it, vi } from "vitest";
import type { AnalysisOutcome } from "../../src/analysis/job/analysis-service.js";
import { analyzeCommand } from "../../src/cli/analyze-command.js";
import { loadConfig } from "../../src/config.js";
import type { ExperimentView } from "../../src/rollout/service/experiment-view.js";
import { createServices } from "../../src/services.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";
import { feedReviews, plantedReviews, plantedRuleModel } from "../analysis/planted-reviews.js";

const settings = { ANALYSIS_CRON: "", AUTO_START_CANARY: "true" } as const;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A data folder with feedback that makes the analysis propose sentiment@v2, fed through the HTTP API. */
async function dataDirWithPlantedFeedback(): Promise<string> {
  const app = await startTestApp(settings, { backend: plantedRuleModel() });
  await feedReviews(app, plantedReviews({ planted: 90, plain: 170 }));
  await app.close();
  return app.dataDir;
}

/** `promptloop analyze --json` run in this process, on the scripted model instead of MODEL_PATH. */
async function analyzeFromCli(dataDir: string): Promise<AnalysisOutcome> {
  let stdout = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  vi.stubEnv("ANALYSIS_CRON", settings.ANALYSIS_CRON);
  vi.stubEnv("AUTO_START_CANARY", settings.AUTO_START_CANARY);
  await analyzeCommand({ backend: plantedRuleModel() }).parseAsync(["--data-dir", dataDir, "--json"], {
    from: "user",
  });
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  return JSON.parse(stdout) as AnalysisOutcome;
}

async function experimentsIn(dataDir: string): Promise<ExperimentView[]> {
  const services = await createServices(loadConfig({}, { DATA_DIR: dataDir }), { loadModel: false });
  try {
    return await services.rollout.listExperiments({ task: "sentiment" });
  } finally {
    await services.close();
  }
}

describe("promptloop analyze and the server start canaries the same way", () => {
  it("the CLI's analyze starts the canary of a draft that passed the replay gate, as POST /api/admin/analyze does", async () => {
    const cliDir = await dataDirWithPlantedFeedback();
    const cliOutcome = await analyzeFromCli(cliDir);
    expect(cliOutcome.drafts).toMatchObject([{ versionId: "sentiment@v2", created: true }]);
    const fromCli = await experimentsIn(cliDir);

    const serverDir = await dataDirWithPlantedFeedback();
    const app = await startTestApp({ ...settings, DATA_DIR: serverDir }, { backend: plantedRuleModel() });
    const res = await app.server.inject({ method: "POST", url: "/api/admin/analyze", headers: adminHeaders });
    expect(res.statusCode).toBe(200);
    const serverOutcome = res.json<AnalysisOutcome>();
    await app.close();
    const fromServer = await experimentsIn(serverDir);

    const expected = (reportId: string) => ({
      control: "sentiment@v1",
      candidate: "sentiment@v2",
      status: "running",
      startedBy: "analysis",
      startReason: `analysis report ${reportId}: sentiment@v2 passed the replay gate`,
    });
    expect(fromCli).toHaveLength(1);
    expect(fromCli[0]).toMatchObject(expected(cliOutcome.reportId));
    expect(fromServer).toHaveLength(1);
    expect(fromServer[0]).toMatchObject(expected(serverOutcome.reportId));
    // The same policy snapshot and the same first stage.
    expect(fromCli[0]!.policy).toEqual(fromServer[0]!.policy);
    expect(fromCli[0]!.stageIndex).toBe(0);
    expect(fromCli[0]!.share).toBe(fromServer[0]!.share);
  });
});
