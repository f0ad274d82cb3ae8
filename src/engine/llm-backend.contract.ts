import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../errors.js";
import type {
  ChatTurn,
  GenerateFinish,
  GenerateRequest,
  GenerateStreamPart,
  LlmBackend,
} from "./llm-backend.js";

const system: ChatTurn = {
  role: "system",
  content: "你是一个冷酷的情感分析师，只分析用户输入文本所表达的情感倾向。输出只能是'正面'或'负面'。",
};
const chat: ChatTurn[] = [
  { role: "system", content: "你是一个乐于助人的助手。" },
  { role: "user", content: "给我讲一个关于猫的故事，越长越好。" },
];

async function collect(stream: AsyncIterable<GenerateStreamPart>) {
  const parts: GenerateStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

function finishOf(parts: GenerateStreamPart[]): GenerateFinish {
  const last = parts.at(-1);
  if (last?.type !== "finish")
    throw new Error(`the stream did not end with a finish part: ${JSON.stringify(last)}`);
  return last;
}

function textOf(parts: GenerateStreamPart[]): string {
  return parts.map((part) => (part.type === "text" ? part.text : "")).join("");
}

/** Rejects with the AppError code the call failed with, or fails the test if it did not fail with one. */
async function errorCodeOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** Text that takes more tokens than the backend's context holds. */
function overflowingText(backend: LlmBackend): string {
  const sentence = "房间太差了，服务员态度也不好，早餐却不错。The room was small but clean. ";
  let text = sentence;
  while (backend.countTokens(text) <= backend.info.contextSize + 16) text += sentence;
  return text;
}

/**
 * The contract every LlmBackend keeps (hono's shared router suite is the model): run it against each
 * implementation. `makeBackend` is called once; the suite disposes of the backend at the end. Replies are
 * whatever the model says, so the suite checks their shape and bounds, not their words.
 */
export function describeLlmBackendContract(name: string, makeBackend: () => Promise<LlmBackend>): void {
  describe(`LlmBackend contract: ${name}`, () => {
    let backend: LlmBackend;
    beforeAll(async () => {
      backend = await makeBackend();
    });
    afterAll(async () => {
      await backend?.dispose();
    });

    it("describes itself in backend-neutral terms", () => {
      const { info } = backend;
      expect(["local", "remote"]).toContain(info.backend);
      expect(info.name.length).toBeGreaterThan(0);
      expect(Number.isInteger(info.contextSize) && info.contextSize > 0).toBe(true);
      expect(Number.isInteger(info.sequences) && info.sequences >= 1).toBe(true);
      expect(Number.isFinite(info.loadedAt)).toBe(true);
      if (info.backend === "remote") expect(info.local).toBeUndefined();
    });

    it("counts tokens: none for empty text, more for more text", () => {
      expect(backend.countTokens("")).toBe(0);
      const one = backend.countTokens("这家酒店很好");
      expect(one).toBeGreaterThan(0);
      expect(backend.countTokens("这家酒店很好".repeat(8))).toBeGreaterThan(one);
    });

    it.each([
      [["正面", "负面"], "这家酒店很好"],
      [["正面", "负面", "中性"], "房间太差了，服务员态度也不好"],
      [["positive", "negative", "mixed", "off topic"], "The breakfast was fine."],
    ])("classifies into one of %j with confidences that sum to 1 over the labels", async (labels, input) => {
      const result = await backend.classify({ prefix: [system], input, labels });
      expect(labels).toContain(result.label);
      expect(Object.keys(result.probabilities)).toEqual(labels);
      const values = Object.values(result.probabilities);
      for (const p of values) expect(p >= 0 && p <= 1).toBe(true);
      expect(values.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 6);
      // The label is the most probable one, the earlier label winning a tie.
      const best = Math.max(...values);
      expect(result.label).toBe(labels.find((label) => result.probabilities[label] === best));
      expect(result.confidence).toBeGreaterThan(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
      expect(result.confidence).toBeCloseTo(result.probabilities[result.label]!, 9);
      expect(result.promptTokens).toBeGreaterThanOrEqual(backend.countTokens(input));
      expect(result.evaluatedTokens).toBeGreaterThanOrEqual(0);
      expect(result.evaluatedTokens).toBeLessThanOrEqual(result.promptTokens);
    });

    it("classifies the same request the same way twice", async () => {
      const request = { prefix: [system], input: "早餐不错", labels: ["正面", "负面"] };
      const first = await backend.classify(request);
      const second = await backend.classify(request);
      expect(second.label).toBe(first.label);
      expect(second.probabilities["正面"]).toBeCloseTo(first.probabilities["正面"]!, 6);
    });

    it("streams a reply as text parts, then exactly one finish part with its token counts", async () => {
      const parts = await collect(backend.generate({ messages: chat, maxTokens: 12, temperature: 0 }));
      expect(parts.filter((part) => part.type === "finish")).toHaveLength(1);
      const finish = finishOf(parts);
      expect(["stop", "length"]).toContain(finish.finishReason);
      expect(finish.promptTokens).toBeGreaterThan(0);
      expect(finish.evaluatedPromptTokens).toBeGreaterThanOrEqual(0);
      expect(finish.evaluatedPromptTokens).toBeLessThanOrEqual(finish.promptTokens);
      expect(finish.completionTokens).toBeGreaterThanOrEqual(0);
      expect(finish.completionTokens).toBeLessThanOrEqual(12);
      for (const part of parts.slice(0, -1)) {
        expect(part.type).toBe("text");
        if (part.type === "text") expect(part.text.length).toBeGreaterThan(0);
      }
      if (finish.completionTokens > 0) expect(textOf(parts).length).toBeGreaterThan(0);
    });

    it.each([1, 3])("stops after maxTokens = %i tokens", async (maxTokens) => {
      const finish = finishOf(await collect(backend.generate({ messages: chat, maxTokens, temperature: 0 })));
      expect(finish.completionTokens).toBeLessThanOrEqual(maxTokens);
      if (finish.finishReason === "length") expect(finish.completionTokens).toBe(maxTokens);
      else expect(finish.finishReason).toBe("stop");
    });

    it("refuses a classification whose prompt would overflow the context with INPUT_TOO_LONG", async () => {
      const input = overflowingText(backend);
      const code = await errorCodeOf(() =>
        backend.classify({ prefix: [system], input, labels: ["正面", "负面"] }),
      );
      expect(code).toBe("INPUT_TOO_LONG");
    });

    it("refuses a reply whose conversation would overflow the context with INPUT_TOO_LONG", async () => {
      const messages: ChatTurn[] = [{ role: "user", content: overflowingText(backend) }];
      const code = await errorCodeOf(() => collect(backend.generate({ messages, maxTokens: 4 })));
      expect(code).toBe("INPUT_TOO_LONG");
    });

    it("ends a call whose signal was aborted before it started with CLIENT_CLOSED", async () => {
      const signal = AbortSignal.abort();
      expect(
        await errorCodeOf(() =>
          backend.classify({ prefix: [system], input: "失望", labels: ["正面", "负面"], signal }),
        ),
      ).toBe("CLIENT_CLOSED");
      expect(
        await errorCodeOf(() => collect(backend.generate({ messages: chat, maxTokens: 8, signal }))),
      ).toBe("CLIENT_CLOSED");
    });

    it("ends a stream aborted after its first text with a cancelled finish, and keeps serving", async () => {
      const controller = new AbortController();
      const request: GenerateRequest = { messages: chat, maxTokens: 64, signal: controller.signal };
      const parts: GenerateStreamPart[] = [];
      for await (const part of backend.generate(request)) {
        parts.push(part);
        if (part.type === "text") controller.abort();
      }
      const finish = finishOf(parts);
      if (parts.length === 1) {
        // The model ended its turn at once: there was nothing to cancel.
        expect(finish.finishReason).toBe("stop");
      } else {
        expect(finish.finishReason).toBe("cancelled");
        // The piece being decoded when the signal aborted may still be flushed; nothing more is generated.
        expect(parts.filter((part) => part.type === "text").length).toBeLessThanOrEqual(2);
        expect(finish.completionTokens).toBeLessThan(64);
      }
      const next = await backend.classify({ prefix: [system], input: "一般般吧", labels: ["正面", "负面"] });
      expect(["正面", "负面"]).toContain(next.label);
    });

    it("warms up prefixes and then serves them", async () => {
      await backend.warmUp([[system]]);
      const result = await backend.classify({
        prefix: [system],
        input: "位置方便",
        labels: ["正面", "负面"],
      });
      expect(["正面", "负面"]).toContain(result.label);
    });
  });
}
