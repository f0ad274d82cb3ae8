import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithLlamaServer } from "../../../test/support/llama-server/describe-with-llama-server.js";
import type { LlamaServerProcess } from "../../../test/support/llama-server/llama-server-process.js";
import { startTinyLlamaServer } from "../../../test/support/llama-server/tiny-llama-server.js";
import { isAppError } from "../../errors.js";
import type { ChatTurn, GenerateStreamPart } from "../llm-backend.js";
import { createLocalLlmBackend, type LocalLlmBackend } from "../local/local-llm-backend.js";
import {
  createOpenAiCompatibleBackend,
  type OpenAiCompatibleLlmBackend,
} from "./openai-compatible-backend.js";

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";

const system: ChatTurn[] = [{ role: "system", content: "你是一个情感分析师。输出只能是'正面'或'负面'。" }];
const reviews = ["这家酒店很好", "房间太差了，服务员态度也不好", "早餐不错", "失望"];

async function collect(stream: AsyncIterable<GenerateStreamPart>) {
  let text = "";
  let finish: Extract<GenerateStreamPart, { type: "finish" }> | undefined;
  for await (const part of stream) {
    if (part.type === "text") text += part.text;
    else finish = part;
  }
  return { text, finish: finish! };
}

describeWithLlamaServer(
  "OpenAI-compatible backend on a real llama-server (tiny generated model)",
  (binary) => {
    let server: LlamaServerProcess & { model: string };
    let backend: OpenAiCompatibleLlmBackend;
    let modelFile: string;

    beforeAll(async () => {
      server = await startTinyLlamaServer(binary);
      modelFile = server.model;
      backend = await createOpenAiCompatibleBackend({ baseUrl: `${server.baseUrl}/v1`, model: "tiny" });
    });
    afterAll(async () => {
      await backend?.dispose();
      await server?.stop();
    });

    it("recognises llama-server and scores labels by token log-probabilities", () => {
      expect(backend.status()).toMatchObject({
        dialect: "llama-server",
        classifyMode: "token-logprobs",
        circuit: "closed",
        model: "tiny",
      });
      expect(backend.info.sequences).toBe(2);
      expect(backend.info.contextSize).toBeGreaterThanOrEqual(512);
    });

    it("gives the embedded engine's label probabilities on the same model file", async () => {
      const local: LocalLlmBackend = await createLocalLlmBackend({
        modelFile,
        threads: 1,
        contextSize: 512,
        sequences: 1,
      });
      try {
        for (const input of reviews) {
          const request = { prefix: system, input, labels: ["正面", "负面"] };
          const [remote, embedded] = [await backend.classify(request), await local.classify(request)];
          expect(remote.label).toBe(embedded.label);
          expect(remote.confidence).toBeCloseTo(embedded.confidence, 3);
          expect(remote.promptTokens).toBe(embedded.promptTokens);
        }
        // Multi-token labels (two tokens each): every token of every label is scored.
        const multiToken = { prefix: system, input: reviews[0]!, labels: ["积极", "消极", "中性"] };
        const [remote, embedded] = [await backend.classify(multiToken), await local.classify(multiToken)];
        expect(remote.label).toBe(embedded.label);
        for (const label of multiToken.labels) {
          expect(remote.probabilities[label]).toBeCloseTo(embedded.probabilities[label]!, 3);
        }
        // Labels whose first tokens coincide ("正面" also starts "正面好评"): both end with the end of turn and
        // are scored over all their tokens, so they come out far apart. The end of turn is the template's
        // (<|im_end|>); the embedded engine takes llama.cpp's guessed EOT (<|endoftext|> for this vocabulary), so
        // here the two backends differ a little.
        const overlapping = await backend.classify({
          prefix: system,
          input: reviews[0]!,
          labels: ["正面", "正面好评", "负面"],
        });
        expect(overlapping.probabilities["正面好评"]).toBeLessThan(overlapping.probabilities["正面"]! / 100);
      } finally {
        await local.dispose();
      }
    });

    it("reuses the cached prompt prefix between classifications (cache_prompt)", async () => {
      const request = { prefix: system, input: "位置方便，下次还来", labels: ["正面", "负面"] };
      await backend.classify(request);
      const again = await backend.classify(request);
      expect(again.evaluatedTokens).toBeLessThan(again.promptTokens);
    });

    it("streams a chat reply over SSE with token counts, and reuses the prompt on the next turn", async () => {
      const messages: ChatTurn[] = [...system, { role: "user", content: "你好" }];
      const first = await collect(backend.generate({ messages, maxTokens: 8, seed: 3, temperature: 0 }));
      expect(first.finish).toMatchObject({ type: "finish" });
      expect(["stop", "length"]).toContain(first.finish.finishReason);
      expect(first.finish.promptTokens).toBeGreaterThan(10);
      expect(first.finish.completionTokens).toBeGreaterThan(0);
      const second = await collect(backend.generate({ messages, maxTokens: 8, seed: 3, temperature: 0 }));
      expect(second.text).toBe(first.text);
      expect(second.finish.evaluatedPromptTokens).toBeLessThan(second.finish.promptTokens);
    });

    it("finishes a cancelled stream with `cancelled`", async () => {
      const controller = new AbortController();
      const parts: GenerateStreamPart[] = [];
      for await (const part of backend.generate({
        messages: [{ role: "user", content: "讲一个很长的故事" }],
        maxTokens: 200,
        signal: controller.signal,
      })) {
        parts.push(part);
        if (part.type === "text") controller.abort();
      }
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "cancelled" });
    });

    it("scores by text log-probabilities through llama-server's OpenAI layer, and falls back to generation", async () => {
      for (const classifyMode of ["text-logprobs", "generated"] as const) {
        const viaOpenAi = await createOpenAiCompatibleBackend({
          baseUrl: server.baseUrl,
          model: "tiny",
          classifyMode,
        });
        const result = await viaOpenAi.classify({
          prefix: system,
          input: reviews[1]!,
          labels: ["正面", "负面"],
        });
        expect(["正面", "负面"]).toContain(result.label);
        expect(viaOpenAi.status().classifyMode).toBe(classifyMode);
        if (classifyMode === "generated") expect(result.confidence).toBe(1);
        else expect(result.confidence).toBeGreaterThanOrEqual(0.5);
      }
    });

    it("fails fast with ENGINE_UNAVAILABLE once the server is gone, and opens the circuit", async () => {
      const doomed = await startTinyLlamaServer(binary, { slots: 1, contextSize: 512 });
      const remote = await createOpenAiCompatibleBackend({ baseUrl: doomed.baseUrl, circuitFailures: 2 });
      await remote.classify({ prefix: system, input: "好", labels: ["正面", "负面"] });
      await doomed.stop();
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const error = await remote
          .classify({ prefix: system, input: "好", labels: ["正面", "负面"] })
          .catch((e) => e);
        expect(isAppError(error) && error.code).toBe("ENGINE_UNAVAILABLE");
        expect(performance.now() - started).toBeLessThan(2000);
      }
      expect(remote.status().circuit).toBe("open");
    });
  },
);
