import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config.js";
import { modelPrecisions, modelUriForPrecision } from "./published-model.js";
import { createTinyQwen2Gguf } from "../../../test/support/gguf/tiny-qwen2.js";
import { checkModelFile } from "./check-model-file.js";
import { createLocalLlmBackend } from "./local-llm-backend.js";
import { resolveModelPath } from "./resolve-model-path.js";

/** The .gguf files in Qwen/Qwen1.5-0.5B-Chat-GGUF's file list at commit cfab082 (see docs/performance.md). */
const publishedFiles = [
  "qwen1_5-0_5b-chat-q2_k.gguf",
  "qwen1_5-0_5b-chat-q3_k_m.gguf",
  "qwen1_5-0_5b-chat-q4_0.gguf",
  "qwen1_5-0_5b-chat-q4_k_m.gguf",
  "qwen1_5-0_5b-chat-q5_0.gguf",
  "qwen1_5-0_5b-chat-q5_k_m.gguf",
  "qwen1_5-0_5b-chat-q6_k.gguf",
  "qwen1_5-0_5b-chat-q8_0.gguf",
];

describe("the published model", () => {
  it("offers one precision per published file, and no other", () => {
    expect(modelPrecisions.map((p) => modelUriForPrecision(p).split("/").at(-1))).toEqual(publishedFiles);
  });

  it.each(["f32", "FP32", "f16", "fp16", "bf16"])("refuses MODEL_PRECISION=%s with directions", (value) => {
    const outtype = value.toLowerCase().replace("fp", "f");
    expect(() => loadConfig({ MODEL_PRECISION: value })).toThrow(
      `MODEL_PRECISION=${JSON.stringify(value)}: Qwen/Qwen1.5-0.5B-Chat-GGUF publishes no ${outtype} file, only q2_k, q3_k_m, q4_0, q4_k_m, ` +
        `q5_0, q5_k_m, q6_k, q8_0. For ${outtype} weights (the write-up runs FP32), convert Qwen/Qwen1.5-0.5B-Chat ` +
        `with llama.cpp's convert_hf_to_gguf.py --outtype ${outtype} and set MODEL_PATH to that .gguf file`,
    );
  });

  it("refuses an unknown precision, listing the published ones", () => {
    expect(() => loadConfig({ MODEL_PRECISION: "q9" })).toThrow(
      `MODEL_PRECISION="q9": not one of the published precisions: q2_k, q3_k_m, q4_0, q4_k_m, q5_0, q5_k_m, q6_k, q8_0`,
    );
  });

  it("starts on every published MODEL_PRECISION: found offline in MODELS_DIR under node-llama-cpp's download name, loaded, answering", async () => {
    // The tiny generated model stands in for each published file (the real ones can't be downloaded here).
    const tiny = await createTinyQwen2Gguf();
    const modelsDir = await fs.mkdtemp(path.join(os.tmpdir(), "promptloop-models-"));
    for (const precision of modelPrecisions) {
      const downloaded = path.join(
        modelsDir,
        `hf_Qwen_Qwen1.5-0.5B-Chat-GGUF_qwen1_5-0_5b-chat-${precision}.gguf`,
      );
      await fs.symlink(tiny, downloaded);
      const config = loadConfig({ MODEL_PRECISION: precision.toUpperCase(), MODELS_DIR: modelsDir });
      const modelFile = await resolveModelPath(config.modelPath, { modelsDir, stallTimeoutMs: 1 });
      expect(modelFile).toBe(downloaded);
      await expect(checkModelFile(modelFile)).resolves.toBe(downloaded);
      const backend = await createLocalLlmBackend({ modelFile, threads: 1, contextSize: 512, sequences: 1 });
      try {
        const result = await backend.classify({
          prefix: [{ role: "system", content: "输出只能是'正面'或'负面'。" }],
          input: "这家酒店很好",
          labels: ["正面", "负面"],
        });
        expect(["正面", "负面"]).toContain(result.label);
        expect(result.probabilities["正面"]! + result.probabilities["负面"]!).toBeCloseTo(1, 6);
      } finally {
        await backend.dispose();
      }
    }
  }, 120_000);
});
