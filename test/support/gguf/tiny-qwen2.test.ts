import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Llama, LlamaContext, LlamaModel, Token } from "node-llama-cpp";
import { sampleChineseSentences } from "./common-chinese-text.js";
import { QWEN15_CHAT_TEMPLATE } from "./qwen2-gguf-spec.js";
import { tokenIdOfText } from "./qwen-vocabularies.js";
import { createTinyQwen2Gguf, tinyQwen2Vocabulary } from "./tiny-qwen2.js";

// Must be set before node-llama-cpp is imported, hence the dynamic import below.
process.env.NODE_LLAMA_CPP_GPU = "false";
process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";
const nodeLlamaCpp = await import("node-llama-cpp");

const vocabulary = tinyQwen2Vocabulary();
let llama: Llama;
let model: LlamaModel;
let context: LlamaContext;

beforeAll(async () => {
  const path = await createTinyQwen2Gguf();
  llama = await nodeLlamaCpp.getLlama({
    gpu: false,
    build: "never",
    logLevel: nodeLlamaCpp.LlamaLogLevel.error,
  });
  model = await llama.loadModel({ modelPath: path });
  context = await model.createContext({ sequences: 2, contextSize: 1024, threads: 1 });
});

afterAll(async () => {
  await context?.dispose();
  await model?.dispose();
  await llama?.dispose();
});

describe("tiny qwen2 model in the real engine", () => {
  it("carries Qwen1.5-Chat's tokenizer metadata and chat template", () => {
    const { tokenizer, general } = model.fileInfo.metadata;
    expect(general.architecture).toBe("qwen2");
    expect(tokenizer.chat_template).toBe(QWEN15_CHAT_TEMPLATE);
    expect(model.tokens.eos).toBe(vocabulary.imEndId);
    expect(model.tokens.bos).toBe(vocabulary.endOfTextId);
    expect(model.tokens.shouldPrependBosToken).toBe(false);
    expect(model.vocabularyType).toBe(nodeLlamaCpp.LlamaVocabularyType.bpe);
  });

  it.each([
    ["<|endoftext|>", vocabulary.endOfTextId],
    ["<|im_start|>", vocabulary.imStartId],
    ["<|im_end|>", vocabulary.imEndId],
  ])("tokenizes the special token %s to its single control token", (text, id) => {
    expect(model.tokenize(text, true)).toEqual([id]);
    expect(model.tokenize(text, false).length).toBeGreaterThan(1);
    expect(model.isEogToken(id as Token)).toBe(id !== vocabulary.imStartId);
  });

  it("tokenizes ChatML text with special tokens around byte-level text", () => {
    const text = "<|im_start|>user\n你好<|im_end|>\n<|im_start|>assistant\n";
    const tokens = model.tokenize(text, true);
    expect(tokens.filter((token) => token === vocabulary.imStartId)).toHaveLength(2);
    expect(tokens.filter((token) => token === vocabulary.imEndId)).toHaveLength(1);
    expect(model.detokenize(tokens, true)).toBe(text);
  });

  it.each(sampleChineseSentences.map((sentence) => [sentence]))(
    "tokenizes every character of %s to one token and round-trips it",
    (sentence) => {
      const tokens = model.tokenize(sentence);
      expect(tokens.length).toBeLessThanOrEqual([...sentence].length);
      for (const character of sentence) {
        expect(model.tokenize(character)).toEqual([tokenIdOfText(vocabulary, character)]);
      }
      expect(model.detokenize(tokens)).toBe(sentence);
    },
  );

  it.each([
    ["正面", 1],
    ["负面", 1],
    ["积极", 2],
    ["中性", 2],
    ["positive", 8],
  ])("tokenizes the label %s to %i token(s)", (label, count) => {
    expect(model.tokenize(label)).toHaveLength(count);
  });

  it("spells a character outside the vocabulary as byte tokens that decode back to it", () => {
    const rare = "鑫";
    expect(tokenIdOfText(vocabulary, rare)).toBeUndefined();
    const tokens = model.tokenize(rare);
    expect(tokens.length).toBeGreaterThan(1);
    expect(model.detokenize(tokens)).toBe(rare);
  });

  it("restricts the next token to the ids of a token-level grammar", async () => {
    const allowed = [tokenIdOfText(vocabulary, "正面"), tokenIdOfText(vocabulary, "负面")] as Token[];
    const grammar = await llama.createGrammar({ grammar: `root ::= <[${allowed[0]}]> | <[${allowed[1]}]>` });
    const sequence = context.getSequence();
    try {
      const seen = new Set<Token>();
      for (const review of sampleChineseSentences) {
        await sequence.clearHistory();
        const prompt = model.tokenize(`<|im_start|>user\n${review}<|im_end|>\n<|im_start|>assistant\n`, true);
        const grammarEvaluationState = new nodeLlamaCpp.LlamaGrammarEvaluationState({ model, grammar });
        for await (const token of sequence.evaluate(prompt, { grammarEvaluationState, temperature: 1.5 })) {
          seen.add(token);
          break;
        }
      }
      expect(seen.size).toBeGreaterThan(0);
      for (const token of seen) expect(allowed).toContain(token);
    } finally {
      await sequence.dispose();
    }
  });

  it("generates freely and stops at the token limit or an end-of-generation token", async () => {
    const sequence = context.getSequence();
    try {
      const maxTokens = 12;
      const generated: Token[] = [];
      const prompt = model.tokenize(
        "<|im_start|>user\n这家酒店怎么样？<|im_end|>\n<|im_start|>assistant\n",
        true,
      );
      for await (const token of sequence.evaluate(prompt, { temperature: 0.8, seed: 7 })) {
        if (model.isEogToken(token) || generated.length === maxTokens) break;
        generated.push(token);
      }
      expect(generated.length).toBeGreaterThan(0);
      expect(generated.length).toBeLessThanOrEqual(maxTokens);
      for (const token of generated) expect(token).toBeLessThan(vocabulary.tokens.length);
      expect(sequence.nextTokenIndex).toBeGreaterThanOrEqual(prompt.length + generated.length);
    } finally {
      await sequence.dispose();
    }
  });

  it("renders a system + user conversation with the file's Jinja template exactly as Qwen's ChatML", () => {
    const chatTemplate = model.fileInfo.metadata.tokenizer.chat_template;
    expect(chatTemplate).toContain("<|im_start|>");
    const wrapper = new nodeLlamaCpp.JinjaTemplateChatWrapper({ template: chatTemplate ?? "" });
    const { contextText } = wrapper.generateContextState({
      chatHistory: [
        { type: "system", text: "判断情感。" },
        { type: "user", text: "房间干净。" },
        { type: "model", response: [] },
      ],
    });
    const expected =
      "<|im_start|>system\n判断情感。<|im_end|>\n<|im_start|>user\n房间干净。<|im_end|>\n<|im_start|>assistant\n";
    const tokens = contextText.tokenize(model.tokenizer);
    expect(tokens).toEqual(model.tokenize(expected, true));
    expect(model.detokenize(tokens, true)).toBe(expected);
  });
});
