import { z } from "zod";

/** The Hugging Face repository the default model comes from. */
export const publishedModelRepo = "Qwen/Qwen1.5-0.5B-Chat-GGUF";

/**
 * The precisions Qwen/Qwen1.5-0.5B-Chat-GGUF publishes, as its file names spell them. Its file list,
 * https://huggingface.co/Qwen/Qwen1.5-0.5B-Chat-GGUF/tree/cfab082d2fef4a8736ef384dc764c2fb6887f387 (15 commits, the
 * latest "Update README.md"), holds .gitattributes, LICENSE, README.md and exactly these eight
 * `qwen1_5-0_5b-chat-<precision>.gguf` files; the model card says the same ("q2_k, q3_k_m, q4_0, q4_k_m, q5_0,
 * q5_k_m, q6_k and q8_0"). The card's perplexity table has an fp16 column as a reference, but the repository has no
 * fp16, bf16 or f32 file. Checked 2026-12-06 through a search index of public pages (this machine can't reach
 * Hugging Face); docs/performance.md#precision lists the file sizes.
 */
export const modelPrecisions = [
  "q2_k",
  "q3_k_m",
  "q4_0",
  "q4_k_m",
  "q5_0",
  "q5_k_m",
  "q6_k",
  "q8_0",
] as const;
export type ModelPrecision = (typeof modelPrecisions)[number];

/** The default precision: on CPU q8_0 decodes about as fast as q4_0 per byte read and keeps the model's accuracy. */
export const defaultModelPrecision: ModelPrecision = "q8_0";

/**
 * Unquantized precisions people ask for (the write-up runs FP32), with the name llama.cpp's converter gives them
 * (`--outtype`). None is published, so each gets directions instead of a bare "invalid".
 */
const unpublishedPrecisions: Record<string, "f32" | "f16" | "bf16"> = {
  f32: "f32",
  fp32: "f32",
  float32: "f32",
  f16: "f16",
  fp16: "f16",
  float16: "f16",
  bf16: "bf16",
};

/** The published model file for a precision, resolved into MODELS_DIR by node-llama-cpp on first start. */
export function modelUriForPrecision(precision: ModelPrecision): string {
  return `hf:${publishedModelRepo}/qwen1_5-0_5b-chat-${precision}.gguf`;
}

export const defaultModelUri = modelUriForPrecision(defaultModelPrecision);

const isModelPrecision = (value: string): value is ModelPrecision =>
  (modelPrecisions as readonly string[]).includes(value);

/** Why a MODEL_PRECISION value is refused: the published choices, and for unquantized ones how to get one. */
export function unknownPrecisionMessage(value: string): string {
  const published = modelPrecisions.join(", ");
  const outtype = unpublishedPrecisions[value];
  if (outtype === undefined) return `not one of the published precisions: ${published}`;
  return (
    `${publishedModelRepo} publishes no ${outtype} file, only ${published}. For ${outtype} weights ` +
    `(the write-up runs FP32), convert Qwen/Qwen1.5-0.5B-Chat with llama.cpp's convert_hf_to_gguf.py ` +
    `--outtype ${outtype} and set MODEL_PATH to that .gguf file`
  );
}

/** MODEL_PRECISION: case-insensitive, one of the published precisions. */
export const modelPrecisionSetting = z
  .string()
  .transform((value, context) => {
    const precision = value.trim().toLowerCase();
    if (isModelPrecision(precision)) return precision;
    context.addIssue({ code: "custom", message: unknownPrecisionMessage(precision) });
    return z.NEVER;
  })
  .default(defaultModelPrecision);
