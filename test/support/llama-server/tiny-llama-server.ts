import { createTinyQwen2Gguf, tinyQwen2Vocabulary } from "../gguf/tiny-qwen2.js";
import {
  startLlamaServer,
  type LlamaServerProcess,
  type LlamaServerStartOptions,
} from "./llama-server-process.js";
import { partialUtf8TokenIds } from "./partial-utf8-tokens.js";

/**
 * llama-server on the tiny generated Qwen2 model, as the tests run it: seed 1 (requests without a seed of their
 * own sample reproducibly), one thread, 2 slots of 1024 tokens, and the tokens that would make random text invalid
 * UTF-8 excluded from sampling.
 */
export async function startTinyLlamaServer(
  binary: string,
  options: Partial<LlamaServerStartOptions> = {},
): Promise<LlamaServerProcess & { model: string }> {
  const model = await createTinyQwen2Gguf();
  const server = await startLlamaServer({
    binary,
    model,
    seed: 1,
    slots: 2,
    contextSize: 2048,
    threads: 1,
    excludeTokens: partialUtf8TokenIds(tinyQwen2Vocabulary()),
    ...options,
  });
  return { ...server, model };
}
