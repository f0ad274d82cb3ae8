import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import type { App } from "../../src/server/create-app.js";
import {
  adminHeaders,
  listenOnFreePort,
  makeTempDir,
  parseEventStream,
  requestJson,
  startTestApp,
} from "../support/test-app.js";

interface ErrorBody {
  error: { code: string; message: string };
}

describe("POST /api/tasks/:task over HTTP", () => {
  let app: App;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp();
    base = await listenOnFreePort(app);
  });
  afterAll(() => app.close());

  it("answers an unknown task with 404 TASK_NOT_FOUND", async () => {
    const { status, body } = await requestJson<ErrorBody>(base, "POST", "/api/tasks/no-such-task", {
      text: "hi",
    });
    expect(status).toBe(404);
    expect(body.error.code).toBe("TASK_NOT_FOUND");
  });

  it.each([
    ["chat input to a classifier", "/api/tasks/intent", { messages: [{ role: "user", content: "hi" }] }],
    ["a stream flag to a classifier", "/api/tasks/moderation", { text: "hi", stream: false }],
    ["text to a generator", "/api/tasks/chat", { text: "你好" }],
    ["neither text nor messages", "/api/tasks/chat", { sessionId: "s" }],
  ])("answers %s with 400 WRONG_TASK_KIND", async (_name, url, payload) => {
    const { status, body } = await requestJson<ErrorBody>(base, "POST", url, payload);
    expect(status).toBe(400);
    expect(body.error.code).toBe("WRONG_TASK_KIND");
  });

  it("answers unknown fields with 400 VALIDATION_FAILED", async () => {
    const { status, body } = await requestJson<ErrorBody>(base, "POST", "/api/tasks/intent", {
      text: "x",
      label: "y",
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe("VALIDATION_FAILED");
  });

  it("serves the shipped intent task over all ten labels, including two that share their first characters", async () => {
    const { status, body } = await requestJson<{ label: string; distribution: Record<string, number> }>(
      base,
      "POST",
      "/api/tasks/intent",
      { text: "My card still hasn't arrived after two weeks" },
    );
    expect(status).toBe(200);
    const labels = Object.keys(body.distribution);
    expect(labels).toHaveLength(10);
    expect(labels).toEqual(expect.arrayContaining(["卡片办理", "卡片故障"]));
    expect(Object.values(body.distribution).every((p) => p > 0)).toBe(true);
  });

  it("serves a generator in the chat shape, as JSON or SSE", async () => {
    const messages = [{ role: "user", content: "你好" }];
    const json = await requestJson<{ promptVersion: string; reply: string }>(
      base,
      "POST",
      "/api/tasks/chat",
      {
        messages,
        stream: false,
      },
    );
    expect(json.status).toBe(200);
    expect(json.body.promptVersion).toBe("chat@v1");
    const sse = await requestJson(base, "POST", "/api/tasks/chat", { messages });
    expect(sse.status).toBe(200);
    const events = parseEventStream(sse.text);
    expect(events.at(-1)?.event).toBe("done");
  });

  it("serves a task imported through the admin API at once, without a restart", async () => {
    const yaml = `prompts:\n  v1:\n    ticket-kind:\n      kind: classifier\n      system: 工单类别\n      labels: [投诉, 咨询, 建议]\n      status: active\n`;
    const imported = await requestJson(base, "POST", "/api/admin/prompts/import", { yaml }, adminHeaders);
    expect(imported.status).toBe(200);
    const tasks = await requestJson<Array<{ task: string }>>(base, "GET", "/api/tasks");
    expect(tasks.body.map((task) => task.task)).toContain("ticket-kind");
    const run = await requestJson<{ label: string; promptVersion: string }>(
      base,
      "POST",
      "/api/tasks/ticket-kind",
      {
        text: "你们的快递太慢了",
      },
    );
    expect(run.status).toBe(200);
    expect(["投诉", "咨询", "建议"]).toContain(run.body.label);
    expect(run.body.promptVersion).toBe("ticket-kind@v1");
  });
});

describe("a bad prompt file stops the start, naming the file and the field", () => {
  it.each([
    [
      "fewer than two labels",
      "kind: classifier\nlabels: [only]",
      /labels: a classifier needs at least two labels/,
    ],
    [
      "duplicate labels",
      "kind: classifier\nlabels: [甲, 乙, 甲]",
      /labels: labels must be unique; repeated: 甲/,
    ],
    ["an unknown kind", "kind: ranker\nlabels: [a, b]", /kind: unknown kind "ranker"/],
  ])("%s", async (_name, fields, message) => {
    const promptsDir = await makeTempDir("promptloop-prompts-");
    await fs.cp(path.join(packageRoot, "prompts"), promptsDir, { recursive: true });
    await fs.writeFile(
      path.join(promptsDir, "broken.v1.yaml"),
      `task: broken\nversion: v1\nsystem: s\n${fields}\n`,
    );
    const started = startTestApp({ PROMPTS_DIR: promptsDir });
    await expect(started).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    await expect(started).rejects.toThrow(/broken\.v1\.yaml/);
    await expect(started).rejects.toThrow(message);
  });
});
