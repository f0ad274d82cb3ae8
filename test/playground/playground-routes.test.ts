import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { adminHeaders, parseEventStream, startTestApp } from "../support/test-app.js";

/**
 * The console's playground over HTTP: the real app (SQLite, node-llama-cpp on the tiny Qwen2 GGUF), a draft of
 * sentiment beside the active v1, and the chat task's replies side by side.
 */
let app: App;
beforeAll(async () => {
  app = await startTestApp({ ANALYSIS_CRON: "", MAX_INPUT_CHARS: 200 });
  const created = await app.server.inject({
    method: "POST",
    url: "/api/admin/prompts",
    headers: adminHeaders,
    payload: {
      task: "sentiment",
      version: "v2",
      parentId: "sentiment@v1",
      system: "判断情感。句子里有转折(但是、不过)时,以转折后的部分为准。只回答 正面 或 负面。",
      changelog: { summary: "playground test draft" },
    },
  });
  expect(created.statusCode).toBe(201);
});
afterAll(() => app.close());

const run = (payload: unknown, headers: Record<string, string> = adminHeaders) =>
  app.server.inject({
    method: "POST",
    url: "/api/admin/playground/runs",
    headers,
    payload: payload as object,
  });

const inputs = [
  { input: "物流很快,但是味道一般,有点失望", expected: "负面" },
  { input: "服务态度好,下次还来", expected: "正面" },
  { input: "还行吧" },
];

describe("POST /api/admin/playground/runs", () => {
  it("checks the operator before anything else, then answers bad bodies with 4xx {error:{code,message}}", async () => {
    const anonymous = await run({ nonsense: true }, {});
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe("UNAUTHORIZED");

    const bad: Array<[unknown, number, string]> = [
      [{ versionId: "sentiment@v2", inputs: [] }, 400, "VALIDATION_FAILED"],
      [{ versionId: "sentiment@v2", inputs: Array(51).fill({ input: "好" }) }, 400, "VALIDATION_FAILED"],
      [{ versionId: "sentiment@v2", inputs: [{ input: "长".repeat(201) }] }, 413, "INPUT_TOO_LONG"],
      [{ versionId: "sentiment@v2", inputs: [{ input: "好", extra: 1 }] }, 400, "VALIDATION_FAILED"],
      [{ versionId: "not a version", inputs: [{ input: "好" }] }, 400, "VALIDATION_FAILED"],
      [{ versionId: "sentiment@v9", inputs: [{ input: "好" }] }, 404, "PROMPT_VERSION_NOT_FOUND"],
      [
        { versionId: "sentiment@v2", baselineId: "chat@v1", inputs: [{ input: "好" }] },
        400,
        "VALIDATION_FAILED",
      ],
      [{ versionId: "nosuchtask@v1", inputs: [{ input: "好" }] }, 404, "PROMPT_VERSION_NOT_FOUND"],
    ];
    for (const [payload, status, code] of bad) {
      const response = await run(payload);
      expect({ payload, status: response.statusCode }).toEqual({ payload, status });
      const body = response.json();
      expect(body.error.code).toBe(code);
      expect(typeof body.error.message).toBe("string");
    }
  });

  it("runs each input on the draft and the active version, side by side, with agreement and accuracy", async () => {
    const before = await app.stores.interactions.counts();
    const response = await run({ versionId: "sentiment@v2", inputs });
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result).toMatchObject({
      task: "sentiment",
      kind: "classifier",
      baselineId: "sentiment@v1",
      candidateId: "sentiment@v2",
      total: 3,
    });
    expect(result.rows.map((row: { input: string }) => row.input)).toEqual(inputs.map((i) => i.input));
    for (const row of result.rows) {
      for (const side of [row.baseline, row.candidate]) {
        expect(["正面", "负面"]).toContain(side.label);
        expect(side.confidence).toBeGreaterThan(0);
        expect(side.confidence).toBeLessThanOrEqual(1);
      }
      expect(row.differ).toBe(row.baseline.label !== row.candidate.label);
    }
    const agreed = result.rows.filter((row: { differ: boolean }) => !row.differ).length;
    expect(result.summary).toMatchObject({ total: 3, compared: 3, agreed, failed: 0 });
    const correct = (side: "baseline" | "candidate") =>
      result.rows.filter(
        (row: Record<string, { label: string }> & { expected: string | null }) =>
          row.expected !== null && row[side]!.label === row.expected,
      ).length;
    expect(result.summary.accuracy).toEqual({
      labelled: 2,
      baseline: { correct: correct("baseline"), answered: 2, rate: correct("baseline") / 2 },
      candidate: { correct: correct("candidate"), answered: 2, rate: correct("candidate") / 2 },
    });
    // Trials are not traffic: nothing was recorded.
    expect(await app.stores.interactions.counts()).toEqual(before);
  });

  it("gives the same answers as the pinned task service (the model decides, not the route)", async () => {
    const pinned = await app.tasks.classify({
      task: "sentiment",
      text: inputs[0]!.input,
      versionId: "sentiment@v2",
    });
    const result = (await run({ versionId: "sentiment@v2", inputs: [inputs[0]] })).json();
    expect(result.rows[0].candidate.label).toBe(pinned.label);
    expect(result.rows[0].candidate.confidence).toBeCloseTo(pinned.confidence, 6);
  });

  it("streams start, one row per input with the summary so far, and the summary", async () => {
    const response = await run({
      versionId: "sentiment@v2",
      baselineId: "sentiment@v2",
      inputs,
      stream: true,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/event-stream");
    const events = parseEventStream(response.body);
    expect(events.map((event) => event.event)).toEqual(["start", "row", "row", "row", "summary"]);
    expect(events[0]!.data).toMatchObject({
      baselineId: "sentiment@v2",
      candidateId: "sentiment@v2",
      total: 3,
    });
    const rows = events
      .slice(1, 4)
      .map((event) => event.data as { row: { index: number }; summary: { total: number } });
    expect(rows.map(({ row, summary }) => [row.index, summary.total])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    // A version beside itself agrees with itself on every input.
    expect(events[4]!.data).toMatchObject({ total: 3, compared: 3, agreed: 3, agreement: 1 });
  });

  it("is published in the OpenAPI document with its request example", async () => {
    const spec = (await app.server.inject({ method: "GET", url: "/docs/json" })).json();
    const operation = spec.paths["/api/admin/playground/runs"].post;
    const body = operation.requestBody.content["application/json"];
    expect(JSON.stringify(body)).toContain("sentiment@v2");
    expect(body.schema.properties.inputs.maxItems).toBe(50);
  });

  it("puts a generator's two replies side by side", async () => {
    const response = await run({ versionId: "chat@v1", inputs: [{ input: "你好" }], maxTokens: 4 });
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result.kind).toBe("generator");
    expect(typeof result.rows[0].baseline.reply).toBe("string");
    expect(typeof result.rows[0].candidate.reply).toBe("string");
    expect(result.summary.accuracy).toBeNull();
    const tooLong = await run({ versionId: "chat@v1", inputs: [{ input: "你好" }], maxTokens: 10_000 });
    expect(tooLong.statusCode).toBe(400);
  });
});
