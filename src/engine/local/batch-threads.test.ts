import fc from "fast-check";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { createTinyQwen2Gguf } from "../../../test/support/gguf/tiny-qwen2.js";
import { defaultDecodeThreads, promptBatchMinTokens, threadsForBatch } from "./batch-threads.js";
import { routeBatchThreads } from "./llama-internals.js";

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";

describe("threadsForBatch", () => {
  it.each([
    { batchTokens: 1, allowed: 2, decodeThreads: 1, expected: 1 },
    { batchTokens: 2, allowed: 2, decodeThreads: 1, expected: 1 },
    { batchTokens: 3, allowed: 2, decodeThreads: 1, expected: 2 },
    { batchTokens: 48, allowed: 2, decodeThreads: 1, expected: 2 },
    { batchTokens: 48, allowed: 1, decodeThreads: 1, expected: 1 },
    { batchTokens: 1, allowed: 8, decodeThreads: 4, expected: 4 },
    { batchTokens: 1, allowed: 2, decodeThreads: 4, expected: 2 },
  ])("$batchTokens tokens, $allowed allowed, $decodeThreads for steps → $expected", (input) => {
    expect(threadsForBatch(input.batchTokens, input.allowed, input.decodeThreads)).toBe(input.expected);
  });

  it("never exceeds what is allowed and never goes below one", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        (n, allowed, decode) => {
          const threads = threadsForBatch(n, allowed, decode);
          expect(threads).toBeGreaterThanOrEqual(1);
          expect(threads).toBeLessThanOrEqual(allowed);
        },
      ),
    );
  });

  it.each([
    [1, 1],
    [2, 1],
    [4, 2],
    [8, 4],
  ])("generation steps default to half of %i threads: %i", (threads, expected) => {
    expect(defaultDecodeThreads(threads)).toBe(expected);
  });
});

describe("routeBatchThreads", () => {
  it("runs prompt batches on all allowed threads and generation steps on the step count", async () => {
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    try {
      const model = await llama.loadModel({ modelPath: await createTinyQwen2Gguf() });
      const context = await model.createContext({ contextSize: 256, threads: 2 });
      const seen: Array<[number, number]> = [];
      routeBatchThreads(context, (batchTokens, allowed) => {
        seen.push([batchTokens, allowed]);
        return threadsForBatch(batchTokens, allowed, 1);
      });
      const sequence = context.getSequence();
      const prompt = model.tokenize("你好，今天天气很好", false);
      expect(prompt.length).toBeGreaterThanOrEqual(promptBatchMinTokens);
      await sequence.evaluateWithoutGeneratingNewTokens(prompt);
      expect(context.currentThreads).toBe(2);
      await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, 1));
      expect(context.currentThreads).toBe(1);
      expect(seen).toEqual([
        [prompt.length, 2],
        [1, 2],
      ]);
    } finally {
      await llama.dispose();
    }
  });
});
