import { elementCount, type GgmlTensorType } from "./ggml-tensor-types.js";
import { gguf, type GgufFileSpec, type GgufTensorSpec, type GgufValue } from "./gguf-writer.js";
import { randomTensorChunks, type RandomTensorOptions } from "./random-tensor-data.js";
import { deriveSeed } from "./seeded-random.js";
import type { QwenVocabulary } from "./qwen-vocabularies.js";

/** The hyperparameters llama.cpp's qwen2 loader reads (`qwen2.*` metadata keys). */
export interface Qwen2Shape {
  readonly hidden: number;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly feedForward: number;
  readonly contextLength: number;
  readonly ropeTheta: number;
  readonly rmsEpsilon: number;
}

/** Qwen1.5-0.5B(-Chat)'s exact shape. */
export const qwen15HalfBillionShape: Qwen2Shape = {
  hidden: 1024,
  layers: 24,
  heads: 16,
  kvHeads: 16,
  feedForward: 2816,
  contextLength: 32_768,
  ropeTheta: 1_000_000,
  rmsEpsilon: 1e-6,
};

/** The chat template shipped in Qwen1.5-0.5B-Chat's tokenizer_config.json, byte for byte. */
export const QWEN15_CHAT_TEMPLATE =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}" +
  "{{ '<|im_start|>system\\nYou are a helpful assistant<|im_end|>\\n' }}{% endif %}" +
  "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** `general.file_type` (llama_ftype) for a file whose matrices have this type. */
const fileTypes: Readonly<Record<GgmlTensorType, number>> = { f32: 0, f16: 1, q4_0: 2, q8_0: 7 };

/** Initial weight scale: small enough that activations stay finite through any number of random layers. */
const WEIGHT_STD = 0.02;

export interface Qwen2GgufOptions {
  readonly name: string;
  readonly shape: Qwen2Shape;
  readonly vocabulary: QwenVocabulary;
  /** Type of every 2-D tensor (embedding and output included); norms and biases stay f32 like real files. */
  readonly matrixType: GgmlTensorType;
  readonly seed: number;
  /** See {@link RandomTensorOptions.quantization}. */
  readonly quantization: "direct" | "from-values";
}

/** Metadata and tensors of a qwen2-architecture GGUF file with random weights. */
export function qwen2GgufSpec(options: Qwen2GgufOptions): GgufFileSpec {
  return { metadata: qwen2Metadata(options), tensors: qwen2Tensors(options) };
}

function qwen2Metadata({
  name,
  shape,
  vocabulary,
  matrixType,
}: Qwen2GgufOptions): Array<[string, GgufValue]> {
  const metadata: Array<[string, GgufValue]> = [
    ["general.architecture", gguf.string("qwen2")],
    ["general.name", gguf.string(name)],
    ["general.file_type", gguf.uint32(fileTypes[matrixType])],
    ["qwen2.block_count", gguf.uint32(shape.layers)],
    ["qwen2.context_length", gguf.uint32(shape.contextLength)],
    ["qwen2.embedding_length", gguf.uint32(shape.hidden)],
    ["qwen2.feed_forward_length", gguf.uint32(shape.feedForward)],
    ["qwen2.attention.head_count", gguf.uint32(shape.heads)],
    ["qwen2.attention.head_count_kv", gguf.uint32(shape.kvHeads)],
    ["qwen2.rope.freq_base", gguf.float32(shape.ropeTheta)],
    ["qwen2.attention.layer_norm_rms_epsilon", gguf.float32(shape.rmsEpsilon)],
    ["tokenizer.ggml.model", gguf.string("gpt2")],
    ["tokenizer.ggml.pre", gguf.string("qwen2")],
    ["tokenizer.ggml.tokens", gguf.strings(vocabulary.tokens)],
    ["tokenizer.ggml.token_type", gguf.int32s(vocabulary.tokenTypes)],
    ["tokenizer.ggml.merges", gguf.strings(vocabulary.merges)],
    // Mirrors the converted Qwen1.5-Chat file: turns end with <|im_end|>, <|endoftext|> pads and is nominal bos.
    ["tokenizer.ggml.eos_token_id", gguf.uint32(vocabulary.imEndId)],
    ["tokenizer.ggml.padding_token_id", gguf.uint32(vocabulary.endOfTextId)],
    ["tokenizer.ggml.bos_token_id", gguf.uint32(vocabulary.endOfTextId)],
    ["tokenizer.ggml.add_bos_token", gguf.bool(false)],
    ["tokenizer.chat_template", gguf.string(QWEN15_CHAT_TEMPLATE)],
  ];
  if (matrixType === "q8_0" || matrixType === "q4_0") {
    metadata.push(["general.quantization_version", gguf.uint32(2)]);
  }
  return metadata;
}

function qwen2Tensors({
  shape,
  vocabulary,
  matrixType,
  seed,
  quantization,
}: Qwen2GgufOptions): GgufTensorSpec[] {
  const { hidden, feedForward } = shape;
  const kvWidth = (hidden / shape.heads) * shape.kvHeads;
  const vocabularySize = vocabulary.tokens.length;
  const tensor = (
    name: string,
    dims: readonly number[],
    kind: "matrix" | "norm" | "bias",
  ): GgufTensorSpec => {
    const type = kind === "matrix" ? matrixType : "f32";
    const tensorSeed = deriveSeed(seed, name);
    const random: RandomTensorOptions = {
      seed: tensorSeed,
      mean: kind === "norm" ? 1 : 0,
      std: WEIGHT_STD,
      quantization,
    };
    return { name, shape: dims, type, chunks: () => randomTensorChunks(type, elementCount(dims), random) };
  };
  const tensors = [tensor("token_embd.weight", [hidden, vocabularySize], "matrix")];
  for (let layer = 0; layer < shape.layers; layer++) {
    const block = `blk.${layer}.`;
    tensors.push(
      tensor(`${block}attn_norm.weight`, [hidden], "norm"),
      tensor(`${block}attn_q.weight`, [hidden, hidden], "matrix"),
      tensor(`${block}attn_q.bias`, [hidden], "bias"),
      tensor(`${block}attn_k.weight`, [hidden, kvWidth], "matrix"),
      tensor(`${block}attn_k.bias`, [kvWidth], "bias"),
      tensor(`${block}attn_v.weight`, [hidden, kvWidth], "matrix"),
      tensor(`${block}attn_v.bias`, [kvWidth], "bias"),
      tensor(`${block}attn_output.weight`, [hidden, hidden], "matrix"),
      tensor(`${block}ffn_norm.weight`, [hidden], "norm"),
      tensor(`${block}ffn_gate.weight`, [hidden, feedForward], "matrix"),
      tensor(`${block}ffn_up.weight`, [hidden, feedForward], "matrix"),
      tensor(`${block}ffn_down.weight`, [feedForward, hidden], "matrix"),
    );
  }
  // Untied output, as in Qwen1.5-0.5B: a separate matrix, not a copy of the embedding.
  tensors.push(
    tensor("output_norm.weight", [hidden], "norm"),
    tensor("output.weight", [hidden, vocabularySize], "matrix"),
  );
  return tensors;
}

/** Number of weights in a qwen2 model of this shape (619,570,176 for Qwen1.5-0.5B). */
export function qwen2ParameterCount(shape: Qwen2Shape, vocabularySize: number): number {
  const kvWidth = (shape.hidden / shape.heads) * shape.kvHeads;
  const attention = 2 * shape.hidden * shape.hidden + 2 * shape.hidden * kvWidth + shape.hidden + 2 * kvWidth;
  const feedForward = 3 * shape.hidden * shape.feedForward;
  const norms = 2 * shape.hidden;
  return 2 * vocabularySize * shape.hidden + shape.layers * (attention + feedForward + norms) + shape.hidden;
}
