import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { startAnalysisSchedule, validateAnalysisCron } from "../../src/analysis/job/analysis-schedule.js";
import { FakeLlmBackend } from "../../src/engine/fake-llm-backend.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

const waitFor = async (condition: () => boolean | Promise<boolean>, timeoutMs = 5_000) => {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe("the analysis schedule", () => {
  it.each(["0 3 * * *", "*/15 * * * *", "0 0 3 * * 1-5"])("accepts %j", (pattern) => {
    expect(() => validateAnalysisCron(pattern)).not.toThrow();
  });

  it.each(["61 * * * *", "every night", "* * *"])(
    "refuses %j as CONFIG_INVALID naming ANALYSIS_CRON",
    (pattern) => {
      expect(() => validateAnalysisCron(pattern)).toThrow(
        expect.objectContaining({
          code: "CONFIG_INVALID",
          message: expect.stringContaining("ANALYSIS_CRON") as unknown,
        }),
      );
    },
  );

  it("runs on every tick, logs outcomes and refusals, and stops", async () => {
    const logged: [string, string][] = [];
    let calls = 0;
    const schedule = startAnalysisSchedule(
      "* * * * * *",
      async () => {
        calls += 1;
        if (calls === 2) throw new AppError("CONFLICT", "another run holds the lock");
        return `run ${calls}`;
      },
      (level, message) => logged.push([level, message]),
    );
    expect(schedule.nextRun()!.getTime()).toBeGreaterThan(Date.now() - 1);
    await waitFor(() => calls >= 2, 4_000);
    schedule.stop();
    const stoppedAt = calls;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(calls).toBe(stoppedAt);
    expect(logged[0]).toEqual(["info", "scheduled analysis: run 1"]);
    expect(logged[1]).toEqual(["warn", "scheduled analysis failed (CONFLICT): another run holds the lock"]);
  });

  it("makes the service refuse to start with a bad ANALYSIS_CRON, before it loads the model", async () => {
    await expect(
      startTestApp({ ANALYSIS_CRON: "61 * * * *", MODEL_PATH: "/nowhere/model.gguf" }),
    ).rejects.toMatchObject({ code: "CONFIG_INVALID" });
  });

  it("runs the analysis inside the service on ANALYSIS_CRON, and not when it is empty", async () => {
    const quiet = await startTestApp({ ANALYSIS_CRON: "" }, { backend: new FakeLlmBackend() });
    const scheduled = await startTestApp({ ANALYSIS_CRON: "* * * * * *" }, { backend: new FakeLlmBackend() });
    try {
      const reports = async (app: typeof quiet) =>
        (await app.server.inject({ method: "GET", url: "/api/admin/reports", headers: adminHeaders })).json<{
          reports: { trigger: string }[];
        }>().reports;
      await waitFor(async () => (await reports(scheduled)).length > 0);
      expect((await reports(scheduled))[0]!.trigger).toBe("schedule");
      expect(await reports(quiet)).toEqual([]);
    } finally {
      await scheduled.close();
      await quiet.close();
    }
  });
});
