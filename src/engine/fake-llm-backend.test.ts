import { FakeLlmBackend } from "./fake-llm-backend.js";
import { describeLlmBackendContract } from "./llm-backend.contract.js";

describeLlmBackendContract(
  "FakeLlmBackend",
  async () => new FakeLlmBackend({ reply: () => "从前有一只猫，它很喜欢晒太阳。" }),
);
describeLlmBackendContract("FakeLlmBackend with its defaults", async () => new FakeLlmBackend());
