import { expect, it } from "vitest";
import type { EvaluationReport } from "./evaluation-report.js";
import { startRolloutSchedule, validateRolloutCron } from "./rollout-schedule.js";

const quiet: EvaluationReport = { evaluatedAt: "", decisions: [], failures: [], holdbacks: [], retired: [] };

it.each(["*/15 * * * *", "0 * * * *", "off"])("accepts %s", (cron) => {
  expect(() => validateRolloutCron(cron)).not.toThrow();
});

it.each(["every 15 minutes", "61 * * * *", ""])(
  "refuses %j as CONFIG_INVALID naming ROLLOUT_CRON",
  (cron) => {
    expect(() => validateRolloutCron(cron)).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
    expect(() => validateRolloutCron(cron)).toThrow(/ROLLOUT_CRON/);
  },
);

it("does nothing when off", () => {
  const schedule = startRolloutSchedule({ cron: "off", evaluate: async () => quiet });
  expect(schedule.nextRun()).toBeNull();
  schedule.stop();
});

it("evaluates on time, reports only looks that changed something, and survives a failing look", async () => {
  let looks = 0;
  const reports: EvaluationReport[] = [];
  const errors: unknown[] = [];
  const schedule = startRolloutSchedule({
    cron: "* * * * * *",
    evaluate: async () => {
      looks += 1;
      if (looks === 1) return quiet;
      if (looks === 2) throw new Error("database busy");
      return { ...quiet, retired: ["sentiment@v1"] };
    },
    onReport: (report) => reports.push(report),
    onError: (error) => errors.push(error),
  });
  expect(schedule.nextRun()).toBeInstanceOf(Date);
  await new Promise((resolve) => setTimeout(resolve, 3_400));
  schedule.stop();
  expect(looks).toBeGreaterThanOrEqual(3);
  expect(errors).toHaveLength(1);
  expect(reports.length).toBe(looks - 2);
});
