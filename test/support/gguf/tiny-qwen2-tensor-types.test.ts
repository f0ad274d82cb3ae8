import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Llama } from "node-llama-cpp";
import type { GgmlTensorType } from "./ggml-tensor-types.js";
import { createTinyQwen2Gguf } from "./tiny-qwen2.js";

process.env.NODE_LLAMA_CPP_GPU = "false";
process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";
const nodeLlamaCpp = await import("node-llama-cpp");

let llama: Llama;
let dir: string;
let reference: number[];

/**
 * Next-token log-probabilities over the whole vocabulary. Sampling options that would cut the distribution
 * (top-k, top-p) are disabled so every token is present.
 */
async function nextTokenLogProbabilities(tensorType: GgmlTensorType, seed = 1): Promise<number[]> {
  const model = await llama.loadModel({ modelPath: await createTinyQwen2Gguf({ dir, seed, tensorType }) });
  try {
    const context = await model.createContext({ contextSize: 256, threads: 1 });
    const prompt = model.tokenize(
      "<|im_start|>user\n这家酒店的服务很好<|im_end|>\n<|im_start|>assistant\n",
      true,
    );
    const outputs = context
      .getSequence()
      .evaluateWithMetadata(prompt, { probabilities: true }, { temperature: 1, topK: 0, topP: 1 });
    for await (const { probabilities } of outputs) {
      return [...probabilities.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, probability]) => Math.log(probability));
    }
    throw new Error("the model produced no token");
  } finally {
    await model.dispose();
  }
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const mean = (values: readonly number[]): number =>
    values.reduce((sum, value) => sum + value, 0) / values.length;
  const [meanA, meanB] = [mean(a), mean(b)];
  let covariance = 0;
  let varianceA = 0;
  let varianceB = 0;
  a.forEach((valueA, index) => {
    const deltaA = valueA - meanA;
    const deltaB = (b[index] ?? Number.NaN) - meanB;
    covariance += deltaA * deltaB;
    varianceA += deltaA * deltaA;
    varianceB += deltaB * deltaB;
  });
  return covariance / Math.sqrt(varianceA * varianceB);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tiny-qwen2-types-"));
  llama = await nodeLlamaCpp.getLlama({
    gpu: false,
    build: "never",
    logLevel: nodeLlamaCpp.LlamaLogLevel.error,
  });
  reference = await nextTokenLogProbabilities("f32");
});

afterAll(async () => {
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

// The quantized variants hold ggml's own quantization of the f32 weights, so llama.cpp must compute nearly the
// same distribution from them; a wrong byte layout (scale position, nibble order) would decorrelate it.
describe("tiny qwen2 model across tensor types", () => {
  it.each([
    ["f16", 0.9999],
    ["q8_0", 0.999],
    ["q4_0", 0.95],
  ] as const)(
    "%s gives the f32 model's next-token distribution (log-prob correlation > %f)",
    async (type, floor) => {
      const logProbabilities = await nextTokenLogProbabilities(type);
      expect(logProbabilities).toHaveLength(reference.length);
      expect(correlation(reference, logProbabilities)).toBeGreaterThan(floor);
    },
  );

  it("a model with other weights gives an unrelated distribution, so the comparison can fail", async () => {
    const other = await nextTokenLogProbabilities("f32", 2);
    expect(Math.abs(correlation(reference, other))).toBeLessThan(0.5);
  });
});
