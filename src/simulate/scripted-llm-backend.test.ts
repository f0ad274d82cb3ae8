import { describe, expect, it } from "vitest";
import { describeLlmBackendContract } from "../engine/llm-backend.contract.js";
import { createGoldLabelIndex, ScriptedLlmBackend } from "./scripted-llm-backend.js";

const labels = ["正面", "负面"];
const system = { role: "system" as const, content: "你是一个情感分析师。输出只能是'正面'或'负面'。" };
const gold = createGoldLabelIndex([
  { text: "早餐很丰富，房间干净", gold: "正面" },
  { text: "设施陈旧，早餐难吃", gold: "负面" },
  { text: "设施很新，服务热情", gold: "正面" },
  { text: "联系我 13812345678，设施很好", gold: "正面" },
]);
const backend = () => new ScriptedLlmBackend({ blindSpots: ["设施"], gold });

describeLlmBackendContract("ScriptedLlmBackend", async () => backend());

describe("ScriptedLlmBackend", () => {
  it("answers the gold label on inputs without a blind-spot word", async () => {
    const result = await backend().classify({ prefix: [system], input: "早餐很丰富，房间干净", labels });
    expect(result.label).toBe("正面");
  });

  it("answers the other label on a blind-spot word the prompt doesn't mention, either way round", async () => {
    const model = backend();
    expect((await model.classify({ prefix: [system], input: "设施陈旧，早餐难吃", labels })).label).toBe(
      "正面",
    );
    expect((await model.classify({ prefix: [system], input: "设施很新，服务热情", labels })).label).toBe(
      "负面",
    );
  });

  it("answers the gold label once the system prompt or a few-shot example mentions the word", async () => {
    const model = backend();
    const rule = { ...system, content: `${system.content}\n注意评论中关于'设施'的描述。` };
    expect((await model.classify({ prefix: [rule], input: "设施陈旧，早餐难吃", labels })).label).toBe(
      "负面",
    );
    const examples = [
      system,
      { role: "user" as const, content: "设施一般" },
      { role: "assistant" as const, content: "负面" },
    ];
    expect((await model.classify({ prefix: examples, input: "设施很新，服务热情", labels })).label).toBe(
      "正面",
    );
  });

  it("finds the gold label of a stored input whose personal data was masked (the analysis replays those)", async () => {
    const model = backend();
    const rule = { ...system, content: `${system.content}\n设施` };
    const stored = [...gold.keys()].find(
      (text) => text.startsWith("联系我") && !text.includes("13812345678"),
    );
    expect(stored).toBeDefined();
    expect((await model.classify({ prefix: [rule], input: stored!, labels })).label).toBe("正面");
    expect((await model.classify({ prefix: [system], input: stored!, labels })).label).toBe("负面");
  });

  it("says it is scripted and names its blind spots", () => {
    expect(backend().info.name).toBe("scripted model (blind spots: 设施)");
  });
});
