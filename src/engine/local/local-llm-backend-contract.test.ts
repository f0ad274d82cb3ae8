import { createTinyQwen2Gguf } from "../../../test/support/gguf/tiny-qwen2.js";
import { describeLlmBackendContract } from "../llm-backend.contract.js";
import { createLocalLlmBackend } from "./local-llm-backend.js";

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";

// The generated tiny Qwen2 model: random weights, so the suite checks the contract, not the answers.
describeLlmBackendContract("local (node-llama-cpp, tiny Qwen2 GGUF)", async () =>
  createLocalLlmBackend({
    modelFile: await createTinyQwen2Gguf(),
    threads: 1,
    contextSize: 512,
    sequences: 2,
  }),
);
