import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import type { App } from "../../src/server/create-app.js";
import {
  adminHeaders,
  listenOnFreePort,
  makeTempDir,
  requestJson,
  startTestApp,
} from "../support/test-app.js";

// Labels no code, test fixture or shipped prompt mentions: the task exists only as this file.
const labels = ["账单争议", "功能心愿", "bug report", "闲谈杂事"];
const taskFile = `# a task dropped into a copy of PROMPTS_DIR
task: ticket-triage
version: v1
kind: classifier
description: 工单分诊
system: |-
  把用户的工单分到一类。输出只能是 ${labels.join("、")} 之一。
labels: [${labels.map((label) => JSON.stringify(label)).join(", ")}]
feedback:
  reasons: [mixed, other]
  reasonNames:
    mixed: { zh: 一单多事, en: Several issues }
`;

interface Classification {
  interactionId: string;
  feedbackToken: string;
  label: string;
  confidence: number;
  distribution: Record<string, number>;
  promptVersion: string;
  latencyMs: number;
}
interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

describe("a task that exists only as a prompt file", () => {
  let promptsDir: string;
  let dataDir: string;
  let app: App | undefined;
  let base: string;
  const start = async () => {
    app = await startTestApp({ PROMPTS_DIR: promptsDir, DATA_DIR: dataDir });
    base = await listenOnFreePort(app);
  };

  beforeAll(async () => {
    promptsDir = await makeTempDir("promptloop-prompts-");
    dataDir = await makeTempDir();
    await fs.cp(path.join(packageRoot, "prompts"), promptsDir, { recursive: true });
    await fs.writeFile(path.join(promptsDir, "ticket-triage.v1.yaml"), taskFile);
    await start();
  });
  afterAll(() => app?.close());

  const classified: Classification[] = [];

  it("is listed by GET /api/tasks with its kind, labels, widgets and active version", async () => {
    const { status, body } = await requestJson<Array<Record<string, unknown>>>(base, "GET", "/api/tasks");
    expect(status).toBe(200);
    expect(body.find((task) => task.task === "ticket-triage")).toEqual({
      task: "ticket-triage",
      kind: "classifier",
      labels,
      activeVersion: "ticket-triage@v1",
      description: "工单分诊",
      feedback: {
        confirm: true,
        correct: true,
        reasons: ["mixed", "other"],
        reasonNames: { mixed: { zh: "一单多事", en: "Several issues" } },
      },
    });
    expect(body.map((task) => task.task)).toEqual(
      expect.arrayContaining(["chat", "intent", "moderation", "qa-check", "sentiment"]),
    );
  });

  it("is served at POST /api/tasks/ticket-triage with the distribution over every label", async () => {
    const texts = ["上个月被多扣了一笔钱", "希望能加一个夜间模式", "app 打开就闪退", "今天天气不错"];
    for (const [index, text] of texts.entries()) {
      // One reader each: the analysis counts one session for at most FEEDBACK_MAX_SESSION_SHARE of the labels.
      const { status, body } = await requestJson<Classification>(base, "POST", "/api/tasks/ticket-triage", {
        text,
        sessionId: `s-triage-${index}`,
      });
      expect(status).toBe(200);
      expect(labels).toContain(body.label);
      expect(Object.keys(body.distribution)).toEqual(labels);
      const total = Object.values(body.distribution).reduce((sum, p) => sum + p, 0);
      expect(total).toBeCloseTo(1, 6);
      expect(body.confidence).toBeCloseTo(body.distribution[body.label]!, 9);
      expect(Math.max(...Object.values(body.distribution))).toBe(body.distribution[body.label]);
      expect(body.promptVersion).toBe("ticket-triage@v1");
      expect(body.feedbackToken).toMatch(/^v1\.[\w-]{22}$/);
      classified.push(body);
    }
  });

  it("takes feedback: 👎 means wrong with the gold unknown, a correction names it, labels outside the set → 400", async () => {
    const [thumbsDown, corrected, confirmed] = classified as [Classification, Classification, Classification];
    const other = labels.find((label) => label !== corrected.label)!;
    const answer = (c: Classification) => ({
      interactionId: c.interactionId,
      feedbackToken: c.feedbackToken,
    });
    const send = (body: Record<string, unknown>) =>
      requestJson<ErrorBody>(base, "POST", "/api/feedback", body);
    expect((await send({ ...answer(thumbsDown), type: "label_confirm", correct: false })).status).toBe(202);
    expect((await send({ ...answer(corrected), type: "label_correct", label: other })).status).toBe(202);
    expect((await send({ ...answer(confirmed), type: "label_confirm", correct: true })).status).toBe(202);
    const unknown = await send({
      ...answer(confirmed),
      type: "label_correct",
      label: "正面",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("UNKNOWN_LABEL");
    expect(unknown.body.error.details).toEqual({ allowed: labels });
  });

  it("after a restart, appears in the analysis report and on the dashboard with its confusion matrix", async () => {
    await app!.close();
    app = undefined;
    await start();
    const [thumbsDown, corrected, confirmed] = classified as [Classification, Classification, Classification];
    const run = await requestJson<{ reportId: string }>(
      base,
      "POST",
      "/api/admin/analyze?replay=false",
      undefined,
      adminHeaders,
    );
    expect(run.status).toBe(200);
    const report = await requestJson<{ tasks: Array<Record<string, unknown>> }>(
      base,
      "GET",
      `/api/admin/reports/${run.body.reportId}?format=json`,
      undefined,
      adminHeaders,
    );
    const task = report.body.tasks.find((entry) => entry.task === "ticket-triage") as {
      labels: string[];
      metrics: { current: { labelled: number; correct: number; confusion: unknown[]; perLabel: unknown[] } };
    };
    expect(task.labels).toEqual(labels);
    const current = task.metrics.current;
    expect(current).toMatchObject({ labelled: 3, correct: 1 });
    const other = labels.find((label) => label !== corrected.label)!;
    expect(current.confusion).toEqual(
      expect.arrayContaining([
        { gold: null, predicted: thumbsDown.label, count: 1 },
        { gold: other, predicted: corrected.label, count: 1 },
        { gold: confirmed.label, predicted: confirmed.label, count: expect.any(Number) },
      ]),
    );
    const markdown = await requestJson(
      base,
      "GET",
      `/api/admin/reports/${run.body.reportId}?format=md`,
      undefined,
      adminHeaders,
    );
    expect(markdown.text).toContain("ticket-triage");

    const dashboard = await requestJson<{
      tasks: Array<{ task: string }>;
      totals: Array<Record<string, unknown>>;
    }>(base, "GET", "/api/admin/dashboard", undefined, adminHeaders);
    expect(dashboard.body.tasks.map((entry) => entry.task)).toContain("ticket-triage");
    const totals = dashboard.body.totals.find((row) => row.promptVersion === "ticket-triage@v1");
    expect(totals).toMatchObject({ interactions: 4, labelled: 3, correct: 1 });
    expect((totals!.perLabel as Array<{ label: string }>).map((row) => row.label)).toEqual(labels);

    const exported = await requestJson(
      base,
      "GET",
      "/api/admin/export?format=jsonl&task=ticket-triage",
      undefined,
      adminHeaders,
    );
    expect(exported.text.trim().split("\n")).toHaveLength(4);
  });
});
