import { afterAll, beforeAll } from "vitest";
import { describeWithLlamaServer } from "../../../test/support/llama-server/describe-with-llama-server.js";
import type { LlamaServerProcess } from "../../../test/support/llama-server/llama-server-process.js";
import { startTinyLlamaServer } from "../../../test/support/llama-server/tiny-llama-server.js";
import { describeLlmBackendContract } from "../llm-backend.contract.js";
import { createOpenAiCompatibleBackend } from "./openai-compatible-backend.js";
import { hideLlamaServerEndpoints } from "./test-support/hide-llama-server-endpoints.js";

describeWithLlamaServer("OpenAI-compatible backend contract on a real llama-server", (binary) => {
  let server: LlamaServerProcess;
  beforeAll(async () => {
    server = await startTinyLlamaServer(binary);
  });
  afterAll(async () => {
    await server?.stop();
  });

  // Its own endpoints: exact label scores from token probabilities, replies from /completion.
  describeLlmBackendContract("openai-compatible → llama-server (token-logprobs)", () =>
    createOpenAiCompatibleBackend({ baseUrl: server.baseUrl }),
  );
  // Only the OpenAI API, as vLLM or Ollama offer it: text log-probabilities, replies from /v1/chat/completions.
  describeLlmBackendContract("openai-compatible → llama-server's /v1 only (text-logprobs)", () =>
    createOpenAiCompatibleBackend({
      baseUrl: `${server.baseUrl}/v1`,
      fetch: hideLlamaServerEndpoints(fetch),
      contextSize: 1024,
    }),
  );
});
