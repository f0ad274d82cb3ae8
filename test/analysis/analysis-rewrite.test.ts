import { describe, expect, it } from "vitest";
import { createAnalysisRun } from "../../src/analysis/core/analyze-feedback.js";
import { buildCandidates } from "../../src/analysis/core/candidates/build-candidates.js";
import type { CurrentPrompt } from "../../src/analysis/core/candidates/candidate-prompt.js";
import { plantedKeywordFixture } from "../../src/analysis/core/test-support/planted-keyword-fixture.js";
import { AppError } from "../../src/errors.js";
import { rewriteStrategyFromModel } from "../../src/analysis/job/rewrite-strategy-from-model.js";
import { FakeLlmBackend } from "../../src/engine/fake-llm-backend.js";

const current: CurrentPrompt = {
  id: "sentiment@v1",
  systemPrompt: "你是一个冷酷的情感分析师。输出只能是'正面'或'负面'。",
};
const analysis = (() => {
  const run = createAnalysisRun({
    tasks: [{ task: "sentiment", labels: ["正面", "负面"], currentVersionId: "sentiment@v1" }],
    ranking: { minSupport: 10 },
  });
  for (const item of plantedKeywordFixture({ plantedErrors: 80 })) run.add(item);
  return run.finish().tasks[0]!;
})();

const rewriteWith = async (backend: FakeLlmBackend) =>
  buildCandidates(analysis, current, {
    strategies: [await rewriteStrategyFromModel(backend, analysis, current)],
  });

describe("the rewrite strategy with the served model", () => {
  it("asks the model with the core's meta-prompt, greedily and seeded, and proposes its valid rewrite", async () => {
    const rewritten = "你是情感分析师。含有'还行'的评论多半是抱怨，应判定为'负面'。只能输出'正面'或'负面'。";
    const backend = new FakeLlmBackend({ reply: () => `好的：<prompt>${rewritten}</prompt>` });
    const built = await rewriteWith(backend);
    expect(backend.generateCalls).toHaveLength(1);
    const request = backend.generateCalls[0]!;
    expect(request).toMatchObject({ temperature: 0, seed: 1 });
    expect(request.messages[1]!.content).toContain(current.systemPrompt);
    expect(request.messages[1]!.content).toContain("还行");
    expect(built.candidates).toHaveLength(1);
    expect(built.candidates[0]).toMatchObject({ strategy: "rewrite", systemPrompt: rewritten });
  });

  it.each([
    [
      "drops the label constraint",
      "<prompt>请判断评论的情感倾向，注意含有还行的评论。</prompt>",
      /label constraint/,
    ],
    ["is empty", "<prompt></prompt>", /empty or too short/],
  ])("rejects a rewrite that %s, with the reason", async (_case, reply, reason) => {
    const built = await rewriteWith(new FakeLlmBackend({ reply: () => reply }));
    expect(built.candidates).toEqual([]);
    expect(built.skipped).toEqual([
      { strategy: "rewrite", reason: expect.stringMatching(reason) as unknown },
    ]);
  });

  it("goes on without the rewrite when the model fails, saying why", async () => {
    const backend = new FakeLlmBackend();
    backend.generate = () => {
      throw new AppError("ENGINE_BUSY", "all sequences are busy");
    };
    const built = await rewriteWith(backend);
    expect(built.skipped).toEqual([
      {
        strategy: "rewrite",
        reason: "the model failed to answer the rewrite request (ENGINE_BUSY: all sequences are busy)",
      },
    ]);
  });
});
