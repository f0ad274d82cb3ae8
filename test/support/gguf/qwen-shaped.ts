import { cachedModelFile, defaultModelCacheDir } from "./cached-model-file.js";
import type { GgmlTensorType } from "./ggml-tensor-types.js";
import { writeGgufFile } from "./gguf-writer.js";
import { qwen15HalfBillionShape, qwen2GgufSpec } from "./qwen2-gguf-spec.js";
import { buildQwenShapedVocabulary, type QwenVocabulary } from "./qwen-vocabularies.js";

/** Options for {@link createQwenShapedGguf}. */
export interface QwenShapedOptions {
  /** Type of the 2-D tensors (embedding and output included); norms and biases are always f32. */
  readonly type: GgmlTensorType;
  /** Where to keep the file; defaults to `<repo>/.cache/models/`. */
  readonly dir?: string | undefined;
  /** Weight seed. Defaults to 1. */
  readonly seed?: number | undefined;
  /** Called while writing (not when the cached file is reused), with bytes written and the final size. */
  readonly onProgress?: ((bytesWritten: number, totalBytes: number) => void) | undefined;
}

let vocabulary: QwenVocabulary | undefined;

/** The full-size vocabulary (151,936 tokens, Qwen's special ids), built once per process. */
export function qwenShapedVocabulary(): QwenVocabulary {
  vocabulary ??= buildQwenShapedVocabulary();
  return vocabulary;
}

/**
 * Path of a GGUF file with Qwen1.5-0.5B-Chat's exact shapes, tokenizer layout and chat template, and random
 * weights: it costs the engine what the real model costs (memory, bandwidth, time per token) but says nothing
 * meaningful. Written on first use (Q8_0 ≈ 662 MB, F16 ≈ 1.24 GB, F32 ≈ 2.48 GB) and reused afterwards.
 */
export async function createQwenShapedGguf(options: QwenShapedOptions): Promise<string> {
  const seed = options.seed ?? 1;
  return cachedModelFile({
    dir: options.dir ?? defaultModelCacheDir,
    baseName: `qwen1.5-0.5b-shaped-${options.type}`,
    parameters: { shape: qwen15HalfBillionShape, seed, matrixType: options.type, vocabulary: "qwen-shaped" },
    write: async (path) => {
      const spec = qwen2GgufSpec({
        name: "qwen1.5-0.5b-shaped",
        shape: qwen15HalfBillionShape,
        vocabulary: qwenShapedVocabulary(),
        matrixType: options.type,
        seed,
        quantization: "direct",
      });
      await writeGgufFile(path, spec, options.onProgress ? { onProgress: options.onProgress } : {});
    },
  });
}
