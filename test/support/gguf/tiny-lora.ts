import { cachedModelFile, defaultModelCacheDir } from "./cached-model-file.js";
import { elementCount } from "./ggml-tensor-types.js";
import { gguf, writeGgufFile, type GgufFileSpec, type GgufTensorSpec } from "./gguf-writer.js";
import type { Qwen2Shape } from "./qwen2-gguf-spec.js";
import { randomTensorChunks } from "./random-tensor-data.js";
import { deriveSeed } from "./seeded-random.js";
import { tinyQwen2Shape } from "./tiny-qwen2.js";

/** Options for {@link createTinyLoraGguf}. */
export interface TinyLoraOptions {
  /** Where to keep the file; defaults to `<repo>/.cache/models/`. */
  readonly dir?: string | undefined;
  /** Weight seed; the same seed always gives the same file. Defaults to 1. */
  readonly seed?: number | undefined;
  /** LoRA rank (inner dimension of lora_a × lora_b). Defaults to 4. */
  readonly rank?: number | undefined;
  /** `adapter.lora.alpha`; llama.cpp scales the update by scale × alpha / rank. Defaults to 2 × rank. */
  readonly alpha?: number | undefined;
  /** `general.architecture`; anything but "qwen2" makes a mismatched adapter. Defaults to "qwen2". */
  readonly architecture?: string | undefined;
  /** The base model's shape the tensors are sized for; another shape makes a mismatched adapter. */
  readonly shape?: Qwen2Shape | undefined;
  /** Standard deviation of the a/b values: large enough that the update visibly moves the logits. */
  readonly std?: number | undefined;
}

/** Projections the tiny adapter adapts in every block (as PEFT's default target_modules q_proj, v_proj). */
export const tinyLoraTargets = ["attn_q", "attn_v"] as const;

/**
 * Metadata and tensors of a LoRA adapter GGUF as llama.cpp's convert_lora_to_gguf.py writes it: general.type
 * "adapter", adapter.type "lora", adapter.lora.alpha, and for each adapted weight `W` of shape [in, out]
 * (ggml order) a `W.lora_a` of shape [in, rank] and a `W.lora_b` of shape [rank, out]
 * (llama-adapter.cpp checks exactly these shapes).
 */
export function tinyLoraSpec(options: TinyLoraOptions = {}): GgufFileSpec {
  const shape = options.shape ?? tinyQwen2Shape;
  const rank = options.rank ?? 4;
  const seed = options.seed ?? 1;
  const std = options.std ?? 0.5;
  const kvWidth = (shape.hidden / shape.heads) * shape.kvHeads;
  const outputs: Record<(typeof tinyLoraTargets)[number], number> = { attn_q: shape.hidden, attn_v: kvWidth };
  const tensor = (name: string, dims: readonly number[]): GgufTensorSpec => ({
    name,
    shape: dims,
    type: "f32",
    chunks: () => randomTensorChunks("f32", elementCount(dims), { seed: deriveSeed(seed, name), std }),
  });
  const tensors: GgufTensorSpec[] = [];
  for (let layer = 0; layer < shape.layers; layer++) {
    for (const target of tinyLoraTargets) {
      const weight = `blk.${layer}.${target}.weight`;
      tensors.push(
        tensor(`${weight}.lora_a`, [shape.hidden, rank]),
        tensor(`${weight}.lora_b`, [rank, outputs[target]]),
      );
    }
  }
  return {
    metadata: [
      ["general.architecture", gguf.string(options.architecture ?? "qwen2")],
      ["general.type", gguf.string("adapter")],
      ["general.name", gguf.string("tiny-qwen2-lora")],
      ["adapter.type", gguf.string("lora")],
      ["adapter.lora.alpha", gguf.float32(options.alpha ?? 2 * rank)],
    ],
    tensors,
  };
}

/**
 * Path of a tiny LoRA adapter GGUF for the tiny qwen2 model (see tiny-qwen2.ts), written on first use and
 * reused afterwards. Options make deliberately mismatched adapters for the refusal tests.
 */
export async function createTinyLoraGguf(options: TinyLoraOptions = {}): Promise<string> {
  const parameters = {
    seed: options.seed ?? 1,
    rank: options.rank ?? 4,
    alpha: options.alpha ?? null,
    architecture: options.architecture ?? "qwen2",
    shape: options.shape ?? tinyQwen2Shape,
    std: options.std ?? 0.5,
  };
  return cachedModelFile({
    dir: options.dir ?? defaultModelCacheDir,
    baseName: "tiny-qwen2-lora",
    parameters,
    write: async (path) => {
      await writeGgufFile(path, tinyLoraSpec(options));
    },
  });
}
