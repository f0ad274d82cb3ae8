import { describe, expect, it } from "vitest";
import type { PromptDefinition } from "../tasks/prompt-definition.js";
import { createMemoryService } from "./memory-service.js";
import { createInMemoryMemoryStore } from "./store/in-memory-memory-store.js";

const chat: PromptDefinition = { task: "chat", version: "v1", kind: "generator", systemPrompt: "你是助手" };
const settings = { defaultOn: true, maxEntries: 20, ttlMs: 86_400_000, maxTokens: 160 };
const turn = (definition: PromptDefinition, userText: string) => ({
  sessionHash: "owner-a",
  definition,
  userText,
  interactionId: "i1",
  countTokens: (text: string) => [...text].length,
});

describe("memory service", () => {
  it("gives a version with memory: off no memory and learns nothing from its turns (the A/B arm without it)", async () => {
    const memory = createMemoryService({
      store: createInMemoryMemoryStore(),
      settings,
      hashIdentity: (id) => id,
      now: () => 1,
    });
    expect(await memory.forTurn(turn({ ...chat, memory: "off" }, "叫我小王"))).toEqual({
      text: "",
      entryIds: [],
    });
    const withMemory = await memory.forTurn(turn({ ...chat, memory: "on" }, "以后回答简短一点"));
    expect(withMemory.text).toContain("用户希望回答简短一些");
    expect(withMemory.text).not.toContain("小王");
  });

  it("is opt-in under MEMORY=off: nothing until the user turns it on", async () => {
    const memory = createMemoryService({
      store: createInMemoryMemoryStore(),
      settings: { ...settings, defaultOn: false },
      hashIdentity: (id) => `owner-${id}`,
      now: () => 1,
    });
    expect((await memory.forTurn(turn(chat, "叫我小王"))).text).toBe("");
    expect(await memory.setEnabled("a", true)).toMatchObject({ enabled: true, chosen: true, entries: [] });
    expect((await memory.forTurn(turn(chat, "叫我小王"))).text).toContain("小王");
  });
});
