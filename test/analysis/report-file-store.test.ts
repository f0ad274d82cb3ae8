import fs from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/analysis/core/report/build-report.js";
import type { AnalysisResult } from "../../src/analysis/core/analyze-feedback.js";
import { loadConfig } from "../../src/config.js";
import {
  createReportFileStore,
  reportIdFor,
  reportIdPattern,
} from "../../src/analysis/job/report-file-store.js";
import type { StoredReport } from "../../src/analysis/job/stored-report.js";
import { makeTempDir } from "../support/test-app.js";

const emptyAnalysis: AnalysisResult = {
  tasks: [],
  interactions: 0,
  feedbackEvents: 0,
  window: { from: null, to: null },
  watermark: { previous: null, next: null },
};

function storedReport(id: string, note = "<script>alert(1)</script>"): StoredReport {
  return {
    ...buildReport({ analysis: emptyAnalysis, generatedAt: Date.UTC(2025, 5, 1, 3) }),
    id,
    run: {
      runId: 7,
      trigger: "schedule",
      startedAt: Date.UTC(2025, 5, 1, 3),
      finishedAt: Date.UTC(2025, 5, 1, 3, 1),
      replay: { enabled: true, calls: 12, failures: 1, firstFailure: note, durationMs: 1500 },
      drafts: [
        {
          task: "sentiment",
          versionId: "sentiment@v2",
          parentId: "sentiment@v1",
          candidate: "rules",
          created: true,
        },
      ],
      settings: loadConfig({}).analysis,
    },
  };
}

describe("report ids", () => {
  it("are UTC timestamps with the run id, and always match the pattern the routes accept", () => {
    expect(reportIdFor(12, Date.UTC(2025, 5, 1, 3, 4, 5))).toBe("20250601-030405-r12");
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 4102444800000 }),
        (run, time) => reportIdPattern.test(reportIdFor(run, time)),
      ),
    );
  });
});

describe("createReportFileStore", () => {
  it("writes JSON, Markdown and HTML, escaping what came from users or the model, and leaves no temp files", async () => {
    const dir = path.join(await makeTempDir(), "reports");
    const store = createReportFileStore(dir);
    const report = storedReport("20250601-030000-r7");
    expect(await store.has(report.id)).toBe(false);
    await store.save(report);
    expect((await fs.readdir(dir)).sort()).toEqual([
      "20250601-030000-r7.html",
      "20250601-030000-r7.json",
      "20250601-030000-r7.md",
    ]);
    expect(await store.has(report.id)).toBe(true);
    expect(await store.load(report.id)).toEqual(report);
    const markdown = await store.read(report.id, "md");
    expect(markdown).toMatch(/^# Prompt 优化建议报告/);
    expect(markdown).toContain(
      "sentiment@v2 (sentiment, candidate rules, parent sentiment@v1): saved as a draft",
    );
    expect(markdown).toContain("&lt;script&gt;");
    const html = await store.read(report.id, "html");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html.indexOf("运行信息 Run")).toBeLessThan(html.indexOf("</body>"));
  });

  it.each(["../promptloop", "20250601-030000-r7.json", "", "20250601-030000-r7/../x"])(
    "refuses the id %j as NOT_FOUND without touching the file system outside the folder",
    async (id) => {
      const store = createReportFileStore(path.join(await makeTempDir(), "reports"));
      await expect(store.read(id, "json")).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await store.has(id)).toBe(false);
    },
  );

  it("answers NOT_FOUND for a well-formed id that was never written", async () => {
    const store = createReportFileStore(path.join(await makeTempDir(), "reports"));
    await expect(store.read("20250601-030000-r1", "html")).rejects.toMatchObject({
      code: "NOT_FOUND",
      status: 404,
    });
  });
});
