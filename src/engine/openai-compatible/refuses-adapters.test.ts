import { expect, it } from "vitest";
import { createOpenAiCompatibleBackend } from "./openai-compatible-backend.js";

it("refuses a version with a LoRA adapter before calling the server (ADAPTER_UNSUPPORTED)", async () => {
  let calls = 0;
  const backend = await createOpenAiCompatibleBackend({
    baseUrl: "http://127.0.0.1:9/v1",
    fetch: async () => {
      calls += 1;
      throw new Error("offline");
    },
  });
  const before = calls;
  const adapter = { path: "/models/pilot.gguf", scale: 1, sha256: "0".repeat(64) };
  await expect(
    backend.classify({ prefix: [], input: "好", labels: ["正面", "负面"], adapter }),
  ).rejects.toMatchObject({ code: "ADAPTER_UNSUPPORTED" });
  const stream = backend.generate({ messages: [{ role: "user", content: "你好" }], maxTokens: 4, adapter });
  await expect(stream[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: "ADAPTER_UNSUPPORTED" });
  expect(calls).toBe(before);
  await backend.dispose();
});
