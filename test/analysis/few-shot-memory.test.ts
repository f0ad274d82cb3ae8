import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { createSqlPromptStore } from "../../src/prompts/store/sql-prompt-store.js";
import { createFewShotMemory, retrievalConfigOf } from "../../src/analysis/job/few-shot-memory.js";
import type { PromptDefinition, RetrievalSettings } from "../../src/tasks/prompt-definition.js";
import { examplesOf, FakeLlmBackend } from "../../src/engine/fake-llm-backend.js";
import { startTestApp } from "../support/test-app.js";

const pool = [
  { input: "房间还行，就是隔音太差", label: "负面" },
  { input: "早餐还行，服务也热情", label: "正面" },
  { input: "位置很方便，床很舒服", label: "正面" },
  { input: "前台态度恶劣，再也不来了", label: "负面" },
  { input: "价格还行吧，空调坏了没人修，等了一个多小时才有人来看", label: "负面" },
];
const retrieval: RetrievalSettings = { method: "bm25", k: 2, k1: 1.2, b: 0.75, maxExampleChars: 12, pool };
const definition: PromptDefinition = {
  task: "sentiment",
  version: "v7",
  kind: "classifier",
  systemPrompt: "判断情感。输出只能是'正面'或'负面'。",
  labels: ["正面", "负面"],
  retrieval,
};

describe("createFewShotMemory", () => {
  it("retrieves at most k pool examples, the most similar first, cut to maxExampleChars", () => {
    const memory = createFewShotMemory();
    const retrieved = memory.retrieve(definition, "味道还行，空调坏了");
    expect(retrieved).toHaveLength(2);
    expect(retrieved[0]).toEqual({ input: "价格还行吧，空调坏了没人", label: "负面" });
    expect(retrieved.every((example) => [...example.input].length <= 12)).toBe(true);
    expect(retrieved.every((example) => example.input.includes("还行"))).toBe(true);
  });

  it("shows nothing for a version without retrieval, or an input that shares nothing with the pool", () => {
    const memory = createFewShotMemory();
    const { retrieval: _retrieval, ...plain } = definition;
    expect(memory.retrieve(plain, "房间还行")).toEqual([]);
    expect(memory.retrieve(definition, "hello world")).toEqual([]);
  });

  it("keeps one index per version id, so two versions answer from their own pools", () => {
    const memory = createFewShotMemory({ maxCachedVersions: 1 });
    const other = { ...definition, version: "v8", retrieval: { ...retrieval, pool: [pool[2]!] } };
    for (let round = 0; round < 2; round += 1) {
      expect(memory.retrieve(definition, "床很舒服")[0]!.input).toBe("位置很方便，床很舒服");
      expect(memory.retrieve(other, "房间还行")).toEqual([]);
      expect(memory.retrieve(definition, "房间还行")[0]!.input).toBe("房间还行，就是隔音太差");
    }
  });

  it("fills in the tokenizer and min score a prompt file can't name, and refuses ones it doesn't know", () => {
    expect(retrievalConfigOf(retrieval)).toMatchObject({
      tokenizer: "icu-zh-words+han-bigrams",
      minScore: 1,
    });
    const unknown = { ...retrieval, tokenizer: "whitespace" } as RetrievalSettings;
    expect(() => createFewShotMemory().retrieve({ ...definition, retrieval: unknown }, "房间")).toThrow(
      expect.objectContaining({ code: "CONFIG_INVALID" }),
    );
  });
});

describe("few-shot memory at inference time", () => {
  const backend = new FakeLlmBackend({ classify: (request) => examplesOf(request)[0]?.label ?? "正面" });
  let app: App;
  beforeAll(async () => {
    app = await startTestApp({ ANALYSIS_CRON: "" }, { backend });
    const prompts = createSqlPromptStore(app.database.db);
    await prompts.saveVersion({ definition, parentId: "sentiment@v1", source: "human", createdAt: 1 });
    await prompts.moveLabels([{ task: "sentiment", label: "active", toVersionId: "sentiment@v7" }], {
      actor: "test",
      reason: "serve the version with few-shot memory",
      now: 2,
    });
  });
  afterAll(() => app.close());

  it("puts the k nearest corrected examples of the serving version between its system prompt and the input", async () => {
    const res = await app.server.inject({
      method: "POST",
      url: "/api/sentiment",
      payload: { text: "房间还行，隔音太差" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ promptVersion: "sentiment@v7", label: "负面" });
    const call = backend.classifyCalls.at(-1)!;
    expect(call.prefix[0]).toEqual({ role: "system", content: definition.systemPrompt });
    expect(examplesOf(call)).toEqual([
      { input: "房间还行，就是隔音太差", label: "负面" },
      expect.objectContaining({ label: expect.any(String) as unknown }),
    ]);
    expect(call.input).toBe("房间还行，隔音太差");
  });

  it("retrieves per request: a different input brings different examples", async () => {
    await app.server.inject({ method: "POST", url: "/api/sentiment", payload: { text: "床很舒服" } });
    expect(examplesOf(backend.classifyCalls.at(-1)!)[0]).toEqual({
      input: "位置很方便，床很舒服",
      label: "正面",
    });
  });
});
