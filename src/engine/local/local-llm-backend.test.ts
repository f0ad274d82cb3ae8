import fc from "fast-check";
import { getLlama, LlamaLogLevel, type Llama, type LlamaModel, type Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTinyQwen2Gguf } from "../../../test/support/gguf/tiny-qwen2.js";
import { isAppError } from "../../errors.js";
import type { ChatTurn, ClassifyResult, GenerateStreamPart } from "../llm-backend.js";
import { createChatPromptRenderer } from "./chat-prompt-renderer.js";
import { createLocalLlmBackend, type LocalLlmBackend } from "./local-llm-backend.js";

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";

const versionA: ChatTurn[] = [
  {
    role: "system",
    content:
      "你是一个冷酷的情感分析师，只分析用户输入文本所表达的情感倾向，不做任何解释。输出只能是'正面'或'负面'。",
  },
];
const versionB: ChatTurn[] = [
  {
    role: "system",
    content: "你是一个温和的评论员。请判断这条酒店评论的情感：正面或负面。不要解释，只回答一个词。",
  },
];
const reviews = [
  "这家酒店很好",
  "房间太差了，服务员态度也不好",
  "早餐不错",
  "失望",
  "位置方便，下次还来",
  "一般般吧",
];

const intentLabels = [
  "卡片办理",
  "卡片故障",
  "支付问题",
  "转账汇款",
  "充值",
  "取现",
  "费用汇率",
  "退款",
  "身份验证",
  "账户管理",
];

// One thread: on a tiny model a second thread only spins.
const backendOptions = { threads: 1, contextSize: 512, sequences: 2, labelLaneTokens: 512 } as const;

async function collect(stream: AsyncIterable<GenerateStreamPart>) {
  let text = "";
  let finish: Extract<GenerateStreamPart, { type: "finish" }> | undefined;
  let textParts = 0;
  for await (const part of stream) {
    if (part.type === "text") {
      text += part.text;
      textParts++;
    } else finish = part;
  }
  return { text, textParts, finish: finish! };
}

let modelFile: string;
let backend: LocalLlmBackend;

beforeAll(async () => {
  modelFile = await createTinyQwen2Gguf();
  backend = await createLocalLlmBackend({ modelFile, ...backendOptions });
});
afterAll(async () => {
  await backend?.dispose();
});

describe("classify", () => {
  it("always answers one of the labels with 0 < confidence ≤ 1", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reviews, "", "？", "abc 123"),
        fc.constantFrom<string[]>(
          ["正面", "负面"],
          ["好", "坏", "一般"],
          ["正面评论", "负面"],
          ["好", "好评"],
        ),
        async (input, labels) => {
          const result = await backend.classify({ prefix: versionA, input, labels });
          expect(labels).toContain(result.label);
          expect(result.confidence).toBeGreaterThan(0);
          expect(result.confidence).toBeLessThanOrEqual(1);
          const timings = Object.values(result.timings!);
          expect(timings).toHaveLength(4);
          expect(timings.every((ms) => ms >= 0)).toBe(true);
          expect(result.timings!.forwardMs).toBeGreaterThan(0);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("is deterministic: the same request gives the same label and confidence, warm or cold", async () => {
    const request = { prefix: versionA, input: reviews[1]!, labels: ["正面", "负面"] };
    const first = await backend.classify(request);
    const again = await backend.classify(request);
    const cold = await createLocalLlmBackend({ modelFile, ...backendOptions, prefixCache: false });
    try {
      const fromScratch = await cold.classify(request);
      for (const other of [again, fromScratch]) {
        expect(other.label).toBe(first.label);
        expect(other.confidence).toBeCloseTo(first.confidence, 5);
      }
    } finally {
      await cold.dispose();
    }
  });

  it("refuses labels the model cannot tell apart", async () => {
    const error = await backend
      .classify({ prefix: versionA, input: "好", labels: ["正面", "正面"] })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("VALIDATION_FAILED");
  });

  it("evaluates a version's prefix once; later requests evaluate only their own input", async () => {
    const fresh = await createLocalLlmBackend({ modelFile, ...backendOptions });
    try {
      await fresh.warmUp([versionA]);
      // Both sequences start warm, so even concurrent requests skip the system prompt.
      const results = await Promise.all(
        reviews
          .slice(0, 2)
          .map((input) => fresh.classify({ prefix: versionA, input, labels: ["正面", "负面"] })),
      );
      const renderer = createChatPromptRenderer(await loadReferenceModel());
      const stable = renderer.inputIndependentLength(versionA);
      for (const result of results) {
        expect(result.evaluatedTokens).toBe(result.promptTokens - stable);
        expect(result.evaluatedTokens).toBeLessThan(result.promptTokens / 2);
      }
      expect(fresh.prefixCacheStats).toMatchObject({ created: 1 });
    } finally {
      await fresh.dispose();
    }
  });

  it("keeps A/B versions apart: a warm cache gives what a cold engine computes for each version", async () => {
    const cold = await createLocalLlmBackend({ modelFile, ...backendOptions, prefixCache: false });
    try {
      // Interleaving the versions makes sequences switch between snapshots.
      for (const input of reviews.slice(0, 3)) {
        for (const prefix of [versionA, versionB]) {
          const warm = await backend.classify({ prefix, input, labels: ["正面", "负面"] });
          const reference = await cold.classify({ prefix, input, labels: ["正面", "负面"] });
          expect(warm.label).toBe(reference.label);
          expect(warm.confidence).toBeCloseTo(reference.confidence, 5);
        }
      }
      const stats = backend.prefixCacheStats!;
      expect(stats.entries).toBeGreaterThanOrEqual(2);
    } finally {
      await cold.dispose();
    }
  });

  it("serves concurrent requests through the pool with the same answers as one at a time", async () => {
    const requests = reviews.map((input, i) => ({
      prefix: i % 2 === 0 ? versionA : versionB,
      input,
      labels: ["正面", "负面"],
    }));
    const sequential: ClassifyResult[] = [];
    for (const request of requests) sequential.push(await backend.classify(request));
    const concurrent = await Promise.all(requests.map((request) => backend.classify(request)));
    concurrent.forEach((result, i) => {
      expect(result.label).toBe(sequential[i]!.label);
      expect(result.confidence).toBeCloseTo(sequential[i]!.confidence, 5);
    });
  });
});

describe("classify scores exactly", () => {
  it.each([
    ["single-token labels", ["正面", "负面"]],
    ["multi-token labels", ["正面评论", "负面", "一般"]],
    ["overlapping labels", ["好", "好评"]],
    ["labels sharing their first tokens", ["卡片办理", "卡片故障", "卡片到期", "转账"]],
    ["a prefix label among shared prefixes", ["卡片", "卡片办理", "卡片故障"]],
    ["the ten intents of prompts/intent.v1.yaml", intentLabels],
  ])(
    "%s: every label's probability is P(label) / Σ P(labels) from the full distribution",
    async (_, labels) => {
      const input = reviews[0]!;
      const result = await backend.classify({ prefix: versionA, input, labels });
      const reference = await referenceLabelProbabilities(versionA, input, labels);
      const best = reference.indexOf(Math.max(...reference));
      expect(result.label).toBe(labels[best]);
      expect(result.confidence).toBeCloseTo(reference[best]!, 5);
      expect(Object.keys(result.probabilities)).toEqual(labels);
      labels.forEach((label, i) => expect(result.probabilities[label]).toBeCloseTo(reference[i]!, 5));
    },
  );

  it("reads every label path in forked lanes, as many at once as there are lanes, with the probabilities one path after another gives", async () => {
    const oneAfterAnother = await createLocalLlmBackend({ modelFile, ...backendOptions, labelLaneTokens: 0 });
    const lentBefore = backend.labelLaneStats?.lanesLent ?? 0;
    try {
      for (const labels of [intentLabels, ["正面评论", "负面", "一般"], ["卡片", "卡片办理", "卡片故障"]]) {
        for (const input of reviews.slice(0, 3)) {
          const request = { prefix: versionA, input, labels };
          const forked = await backend.classify(request);
          const reference = await oneAfterAnother.classify(request);
          expect(forked.label).toBe(reference.label);
          // To 5e-6, as the check against the full distribution above: lanes and one path after another differ on
          // near-zero probabilities (1.61e-6 against 1.28e-6, and 2.9e-12 moved by 5.8e-13, in two fresh-clone runs;
          // not explained yet, see docs/performance.md); the label and every probability a decision reads agree.
          labels.forEach((label) =>
            expect(forked.probabilities[label]).toBeCloseTo(reference.probabilities[label]!, 5),
          );
        }
      }
      expect(oneAfterAnother.labelLaneStats).toBeUndefined();
      // The ten intents have nine paths: the first decodes with the prompt, the two lanes (one per sequence) take
      // four each; the other label sets have two paths (one lane).
      expect(backend.labelLaneStats).toMatchObject({ lanes: 2, refused: 0 });
      expect(backend.labelLaneStats!.lanesLent - lentBefore).toBe(3 * 2 + 3 + 3);
    } finally {
      await oneAfterAnother.dispose();
    }
  });
});

describe("generate", () => {
  const conversation: ChatTurn[] = [
    { role: "system", content: "你是一个友善的助手。" },
    { role: "user", content: "你好，今天天气怎么样？" },
  ];

  it("streams text and stops at maxTokens", async () => {
    const { text, textParts, finish } = await collect(
      backend.generate({ messages: conversation, maxTokens: 12, seed: 3 }),
    );
    expect(finish).toMatchObject({ finishReason: "length", completionTokens: 12 });
    expect(textParts).toBeGreaterThan(1);
    expect(text.length).toBeGreaterThan(0);
  });

  it("is reproducible with a seed", async () => {
    const first = await collect(backend.generate({ messages: conversation, maxTokens: 10, seed: 42 }));
    const second = await collect(backend.generate({ messages: conversation, maxTokens: 10, seed: 42 }));
    expect(second.text).toBe(first.text);
  });

  it("stops at the end of the turn without emitting it", async () => {
    // Near-uniform sampling over the tiny vocabulary reaches an end-of-turn token within a few dozen tokens for
    // some seeds; every run must be consistent with how it finished.
    const maxTokens = 48;
    const runs = [];
    for (let seed = 1; seed <= 30; seed++) {
      runs.push(
        await collect(
          backend.generate({ messages: conversation, maxTokens, seed, temperature: 50, topK: 0, topP: 1 }),
        ),
      );
    }
    const stopped = runs.filter((run) => run.finish.finishReason === "stop");
    expect(stopped.length).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.text).not.toContain("<|im_end|>");
      if (run.finish.finishReason === "stop") expect(run.finish.completionTokens).toBeLessThan(maxTokens);
      else expect(run.finish.completionTokens).toBe(maxTokens);
    }
  });

  it("cancels through the AbortSignal and releases the sequence", async () => {
    const single = await createLocalLlmBackend({ modelFile, ...backendOptions, sequences: 1 });
    try {
      const controller = new AbortController();
      const parts: GenerateStreamPart[] = [];
      for await (const part of single.generate({
        messages: conversation,
        maxTokens: 200,
        signal: controller.signal,
      })) {
        parts.push(part);
        if (part.type === "text") controller.abort();
      }
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "cancelled" });
      expect((parts.at(-1) as { completionTokens: number }).completionTokens).toBeLessThan(200);
      // The one sequence is free again: a waiting request that is aborted gives up, a new one is served.
      const waiting = new AbortController();
      const blocked = collect(
        single.generate({ messages: conversation, maxTokens: 30, signal: waiting.signal }),
      );
      const queued = single.classify({
        prefix: versionA,
        input: "好",
        labels: ["正面", "负面"],
        signal: waiting.signal,
      });
      waiting.abort();
      await blocked;
      const queuedError = await queued.catch((e: unknown) => e);
      expect(isAppError(queuedError) && queuedError.code).toBe("CLIENT_CLOSED");
      const after = await single.classify({ prefix: versionA, input: "好", labels: ["正面", "负面"] });
      expect(["正面", "负面"]).toContain(after.label);
    } finally {
      await single.dispose();
    }
  });

  it("reuses the system prompt across conversations", async () => {
    const fresh = await createLocalLlmBackend({ modelFile, ...backendOptions });
    try {
      const first = await collect(fresh.generate({ messages: conversation, maxTokens: 2, seed: 1 }));
      const other: ChatTurn[] = [conversation[0]!, { role: "user", content: "讲个笑话" }];
      const second = await collect(fresh.generate({ messages: other, maxTokens: 2, seed: 1 }));
      expect(first.finish.evaluatedPromptTokens).toBe(first.finish.promptTokens);
      expect(second.finish.evaluatedPromptTokens).toBeLessThan(second.finish.promptTokens / 2);
    } finally {
      await fresh.dispose();
    }
  });
});

// A second, independent load of the same file, driven only through node-llama-cpp's public API.
let referenceLlama: Llama | undefined;
let referenceModel: LlamaModel | undefined;
async function loadReferenceModel(): Promise<LlamaModel> {
  referenceLlama ??= await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  referenceModel ??= await referenceLlama.loadModel({ modelPath: modelFile });
  return referenceModel;
}
afterAll(async () => {
  await referenceLlama?.dispose();
});

/** P(label) / Σ P(labels) by teacher forcing with full probability maps: slow, obviously right. */
async function referenceLabelProbabilities(
  prefix: ChatTurn[],
  input: string,
  labels: string[],
): Promise<number[]> {
  const model = await loadReferenceModel();
  const prompt = createChatPromptRenderer(model).render([...prefix, { role: "user", content: input }]);
  const tokenized = labels.map((label) => model.tokenize(label, false));
  const overlapping = tokenized.some((a, i) =>
    tokenized.some((b, j) => i !== j && a.length < b.length && a.every((t, k) => t === b[k])),
  );
  const endOfTurn = model.tokens.eot ?? model.tokens.eos!;
  const context = await model.createContext({ contextSize: 512, threads: 1 });
  try {
    const sequence = context.getSequence();
    const scores: number[] = [];
    for (const tokens of tokenized) {
      const spelled: Token[] = overlapping ? [...tokens, endOfTurn] : tokens;
      await sequence.clearHistory();
      const steps = sequence.evaluateWithMetadata(
        prompt,
        { probabilities: true },
        { temperature: 0, yieldEogToken: true },
      );
      let probability = 1;
      let next = await steps.next();
      for (const [k, token] of spelled.entries()) {
        probability *= next.done ? 0 : (next.value.probabilities.get(token) ?? 0);
        if (k < spelled.length - 1) next = await steps.next(token);
      }
      await steps.return(undefined);
      scores.push(probability);
    }
    const total = scores.reduce((a, b) => a + b, 0);
    return scores.map((score) => score / total);
  } finally {
    await context.dispose();
  }
}
