import { describe, expect, it } from "vitest";
import { elementCount, tensorByteSize, type GgmlTensorType } from "./ggml-tensor-types.js";
import type { GgufValue } from "./gguf-writer.js";
import {
  qwen15HalfBillionShape,
  qwen2GgufSpec,
  qwen2ParameterCount,
  QWEN15_CHAT_TEMPLATE,
} from "./qwen2-gguf-spec.js";
import { buildTinyQwenVocabulary, QWEN_VOCABULARY_SIZE, type QwenVocabulary } from "./qwen-vocabularies.js";

// The spec is built without writing any data (tensor bytes are only produced when a writer pulls them), so the
// full-size layout can be checked here without generating the 662 MB file.
const placeholderVocabulary: QwenVocabulary = {
  ...buildTinyQwenVocabulary(),
  tokens: Array.from({ length: QWEN_VOCABULARY_SIZE }, (_, id) => `t${id}`),
  tokenTypes: new Array<number>(QWEN_VOCABULARY_SIZE).fill(1),
};

function fullSizeSpec(matrixType: GgmlTensorType) {
  return qwen2GgufSpec({
    name: "shape-check",
    shape: qwen15HalfBillionShape,
    vocabulary: placeholderVocabulary,
    matrixType,
    seed: 1,
    quantization: "direct",
  });
}

describe("qwen2 GGUF layout at Qwen1.5-0.5B's shape", () => {
  it("has Qwen1.5-0.5B's 619,570,176 parameters", () => {
    const counted = fullSizeSpec("q8_0").tensors.reduce((sum, tensor) => sum + elementCount(tensor.shape), 0);
    expect(counted).toBe(619_570_176);
    expect(qwen2ParameterCount(qwen15HalfBillionShape, QWEN_VOCABULARY_SIZE)).toBe(counted);
  });

  it.each([
    ["q8_0", 655e6, 665e6],
    ["q4_0", 345e6, 360e6],
    ["f16", 1.23e9, 1.25e9],
    ["f32", 2.47e9, 2.49e9],
  ] as const)("needs a %s data section the size of the real file (%d–%d bytes)", (type, low, high) => {
    const bytes = fullSizeSpec(type).tensors.reduce(
      (sum, tensor) => sum + tensorByteSize(tensor.type, tensor.shape),
      0,
    );
    expect(bytes).toBeGreaterThan(low);
    expect(bytes).toBeLessThan(high);
  });

  it.each([["q8_0"], ["q4_0"], ["f16"], ["f32"]] as const)(
    "keeps 1-D tensors (norms, biases) f32 and every matrix %s",
    (type) => {
      for (const tensor of fullSizeSpec(type).tensors) {
        expect(tensor.type).toBe(tensor.shape.length === 1 ? "f32" : type);
      }
    },
  );

  it("names every tensor llama.cpp's qwen2 loader requires, with an untied output", () => {
    const names = new Set(fullSizeSpec("q8_0").tensors.map((tensor) => tensor.name));
    const perLayer = ["attn_norm.weight", "attn_q.weight", "attn_q.bias", "attn_k.weight", "attn_k.bias"]
      .concat(["attn_v.weight", "attn_v.bias", "attn_output.weight", "ffn_norm.weight"])
      .concat(["ffn_gate.weight", "ffn_up.weight", "ffn_down.weight"]);
    const required = ["token_embd.weight", "output_norm.weight", "output.weight"];
    for (let layer = 0; layer < 24; layer++) required.push(...perLayer.map((name) => `blk.${layer}.${name}`));
    expect([...names].sort()).toEqual(required.sort());
  });

  it("describes the model and tokenizer with the metadata llama.cpp reads", () => {
    const metadata = new Map<string, GgufValue>(fullSizeSpec("q8_0").metadata);
    const value = (key: string): unknown => {
      const entry = metadata.get(key);
      return entry?.type === "array" ? entry.items.length : entry?.value;
    };
    expect(value("general.architecture")).toBe("qwen2");
    expect(value("general.file_type")).toBe(7);
    expect(value("qwen2.block_count")).toBe(24);
    expect(value("qwen2.context_length")).toBe(32_768);
    expect(value("qwen2.embedding_length")).toBe(1024);
    expect(value("qwen2.feed_forward_length")).toBe(2816);
    expect(value("qwen2.attention.head_count")).toBe(16);
    expect(value("qwen2.attention.head_count_kv")).toBe(16);
    expect(value("qwen2.rope.freq_base")).toBe(1e6);
    expect(value("qwen2.attention.layer_norm_rms_epsilon")).toBe(1e-6);
    expect(value("tokenizer.ggml.model")).toBe("gpt2");
    expect(value("tokenizer.ggml.pre")).toBe("qwen2");
    expect(value("tokenizer.ggml.tokens")).toBe(QWEN_VOCABULARY_SIZE);
    expect(value("tokenizer.ggml.eos_token_id")).toBe(placeholderVocabulary.imEndId);
    expect(value("tokenizer.ggml.bos_token_id")).toBe(placeholderVocabulary.endOfTextId);
    expect(value("tokenizer.ggml.padding_token_id")).toBe(placeholderVocabulary.endOfTextId);
    expect(value("tokenizer.ggml.add_bos_token")).toBe(false);
    expect(value("tokenizer.chat_template")).toBe(QWEN15_CHAT_TEMPLATE);
  });

  it("carries Qwen1.5-Chat's template text byte for byte", () => {
    expect(QWEN15_CHAT_TEMPLATE).toBe(
      "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
    );
  });
});
