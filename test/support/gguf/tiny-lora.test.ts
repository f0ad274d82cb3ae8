import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ControlledEvaluateInputItem, Llama, LlamaContext, LlamaModel, Token } from "node-llama-cpp";
import { createTinyLoraGguf } from "./tiny-lora.js";
import { createTinyQwen2Gguf, tinyQwen2Shape } from "./tiny-qwen2.js";

// Must be set before node-llama-cpp is imported, hence the dynamic import below.
process.env.NODE_LLAMA_CPP_GPU = "false";
process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";
const nodeLlamaCpp = await import("node-llama-cpp");

let llama: Llama;
let model: LlamaModel;
const contexts: LlamaContext[] = [];

beforeAll(async () => {
  llama = await nodeLlamaCpp.getLlama({
    gpu: false,
    build: "never",
    logLevel: nodeLlamaCpp.LlamaLogLevel.error,
  });
  model = await llama.loadModel({ modelPath: await createTinyQwen2Gguf() });
});

afterAll(async () => {
  for (const context of contexts) await context.dispose();
  await model?.dispose();
  await llama?.dispose();
});

async function nextTokenProbabilities(lora?: {
  filePath: string;
  scale: number;
}): Promise<Map<Token, number>> {
  const context = await model.createContext({
    contextSize: 256,
    threads: 1,
    ...(lora ? { lora: { adapters: [lora] } } : {}),
  });
  contexts.push(context);
  const tokens = model.tokenize("<|im_start|>user\n这家酒店很好。<|im_end|>\n<|im_start|>assistant\n", true);
  const last = tokens.length - 1;
  const input: ControlledEvaluateInputItem[] = tokens.map((token, index) =>
    index === last ? [token, { generateNext: { probabilities: true } }] : token,
  );
  const results = await context.getSequence().controlledEvaluate(input);
  const probabilities = results[last]?.next?.probabilities;
  if (!probabilities) throw new Error("no probabilities for the last token");
  return probabilities;
}

function totalVariation(a: Map<Token, number>, b: Map<Token, number>): number {
  let sum = 0;
  for (const token of new Set([...a.keys(), ...b.keys()]))
    sum += Math.abs((a.get(token) ?? 0) - (b.get(token) ?? 0));
  return sum / 2;
}

describe("tiny LoRA adapter in the real engine", () => {
  it("loads onto the tiny qwen2 model's context and changes the next-token distribution", async () => {
    const filePath = await createTinyLoraGguf();
    const base = await nextTokenProbabilities();
    const baseAgain = await nextTokenProbabilities();
    const adapted = await nextTokenProbabilities({ filePath, scale: 1 });
    const zeroScale = await nextTokenProbabilities({ filePath, scale: 0 });
    expect(totalVariation(base, baseAgain)).toBeLessThan(1e-6);
    expect(totalVariation(base, zeroScale)).toBeLessThan(1e-4);
    expect(totalVariation(base, adapted)).toBeGreaterThan(0.01);
  });

  it.each([
    ["another architecture", { architecture: "llama" }],
    ["another width", { shape: { ...tinyQwen2Shape, hidden: 32 } }],
  ])("is refused by llama.cpp when made for %s", async (_, mismatch) => {
    const filePath = await createTinyLoraGguf(mismatch);
    await expect(
      model.createContext({ contextSize: 256, threads: 1, lora: { adapters: [{ filePath }] } }),
    ).rejects.toThrow();
  });
});
