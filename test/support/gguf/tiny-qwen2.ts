import { cachedModelFile, defaultModelCacheDir } from "./cached-model-file.js";
import type { GgmlTensorType } from "./ggml-tensor-types.js";
import { writeGgufFile } from "./gguf-writer.js";
import { qwen2GgufSpec, type Qwen2Shape } from "./qwen2-gguf-spec.js";
import { buildTinyQwenVocabulary, type QwenVocabulary } from "./qwen-vocabularies.js";

/** Options for {@link createTinyQwen2Gguf}. */
export interface TinyQwen2Options {
  /** Where to keep the file; defaults to `<repo>/.cache/models/`. */
  readonly dir?: string | undefined;
  /** Weight seed; the same seed always gives the same file. Defaults to 1. */
  readonly seed?: number | undefined;
  /**
   * Type of the 2-D tensors. Quantized types hold ggml's quantization of exactly the f32 model's weights (same
   * seed), so the variants' outputs can be compared. Defaults to "f32".
   */
  readonly tensorType?: GgmlTensorType | undefined;
}

/** The tiny model's shape: Qwen2's architecture at a size that loads and runs in milliseconds. */
export const tinyQwen2Shape: Qwen2Shape = {
  hidden: 64,
  layers: 2,
  heads: 4,
  kvHeads: 4,
  feedForward: 128,
  contextLength: 4096,
  ropeTheta: 1_000_000,
  rmsEpsilon: 1e-6,
};

let vocabulary: QwenVocabulary | undefined;

/** The tiny model's vocabulary (token texts, types, merges and special ids), built once per process. */
export function tinyQwen2Vocabulary(): QwenVocabulary {
  vocabulary ??= buildTinyQwenVocabulary();
  return vocabulary;
}

/**
 * Path of a tiny qwen2 GGUF model with random weights and a Qwen1.5-Chat-style tokenizer and chat template,
 * written on first use and reused afterwards.
 */
export async function createTinyQwen2Gguf(options: TinyQwen2Options = {}): Promise<string> {
  const seed = options.seed ?? 1;
  const matrixType = options.tensorType ?? "f32";
  return cachedModelFile({
    dir: options.dir ?? defaultModelCacheDir,
    baseName: `tiny-qwen2-${matrixType}`,
    parameters: { shape: tinyQwen2Shape, seed, matrixType, vocabulary: "tiny", quantization: "from-values" },
    write: async (path) => {
      const spec = qwen2GgufSpec({
        name: "tiny-qwen2",
        shape: tinyQwen2Shape,
        vocabulary: tinyQwen2Vocabulary(),
        matrixType,
        seed,
        quantization: "from-values",
      });
      await writeGgufFile(path, spec);
    },
  });
}
