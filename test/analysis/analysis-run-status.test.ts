import { afterAll, beforeAll, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

let app: App;
beforeAll(async () => {
  app = await startTestApp({ ANALYSIS_CRON: "" });
});
afterAll(() => app.close());

const inject = (method: "GET" | "POST", url: string, headers: Record<string, string> = adminHeaders) =>
  app.server.inject({ method, url, headers });

it("starts a run in the background, shows it as running, refuses a second, then reports how it ended", async () => {
  expect((await inject("GET", "/api/admin/analysis/status", {})).statusCode).toBe(401);
  expect((await inject("POST", "/api/admin/analysis/runs", {})).statusCode).toBe(401);
  expect((await inject("GET", "/api/admin/analysis/status")).json()).toEqual({ running: null, last: null });

  const started = await inject("POST", "/api/admin/analysis/runs");
  expect(started.statusCode).toBe(202);
  expect(started.json().running).toMatchObject({ trigger: "api" });
  const second = await inject("POST", "/api/admin/analysis/runs");
  expect(second.statusCode).toBe(409);
  expect(second.json().error.code).toBe("CONFLICT");

  let status = (await inject("GET", "/api/admin/analysis/status")).json();
  for (let tries = 0; status.running !== null && tries < 600; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = (await inject("GET", "/api/admin/analysis/status")).json();
  }
  expect(status.running).toBeNull();
  expect(status.last).toMatchObject({ trigger: "api", outcome: "completed", error: null });
  const reports = (await inject("GET", "/api/admin/reports")).json().reports;
  expect(reports.map((report: { id: string }) => report.id)).toContain(status.last.reportId);
});
