import { describe, expect, it } from "vitest";
import { extractMemoryFacts } from "./extract-memory-facts.js";
import { memoryContext, withMemory } from "./memory-context.js";
import type { MemoryEntry } from "./memory-fact.js";

describe("extractMemoryFacts", () => {
  it.each([
    ["以后回答简短一点", "reply_length", "用户希望回答简短一些"],
    ["叫我小王", "name", "用户希望被称为“小王”"],
    ["以后请叫我小王", "name", "用户希望被称为“小王”"],
    ["从现在起叫我老王吧", "name", "用户希望被称为“老王”"],
    ["我是素食者", "diet", "用户是素食者"],
    ["用英文回答", "reply_language", "用户希望用英文回答"],
    ["以后请用英文回答", "reply_language", "用户希望用英文回答"],
    ["我住在杭州", "location", "用户住在杭州"],
    ["我在北京工作", "location", "用户在北京工作"],
    ["我对花生过敏", "allergy", "用户对花生过敏"],
    ["Please call me Anna.", "name", 'The user wants to be called "Anna"'],
    ["I'm vegetarian", "diet", "The user is vegetarian"],
    ["Please answer in English", "reply_language", "The user wants answers in English"],
  ])("%s → %s", (message, key, text) => {
    expect(extractMemoryFacts(message)).toEqual([expect.objectContaining({ key, text })]);
  });

  it.each(["你叫我什么？", "这次回答简短点", "这个产品很好用", "今天好热", "你还记得我叫什么吗"])(
    "finds no lasting fact in %s",
    (message) => {
      expect(extractMemoryFacts(message)).toEqual([]);
    },
  );

  it("finds several facts in one message, one per key and subject", () => {
    expect(extractMemoryFacts("我喜欢猫，我对花生过敏。以后叫我小王").map((fact) => fact.key)).toEqual([
      "allergy",
      "preference",
      "name",
    ]);
  });
});

describe("memoryContext", () => {
  const entry = (id: string, text: string, createdAt: number, uses = 0): MemoryEntry => ({
    id,
    ownerHash: "a",
    key: "preference",
    subject: id,
    text,
    sourceInteractionId: null,
    createdAt,
    expiresAt: 10_000,
    lastUsedAt: null,
    uses,
  });
  const countTokens = (text: string) => [...text].length;

  it("puts the newest entries first and stops at the token budget", () => {
    const entries = [entry("a", "旧的", 1), entry("b", "新的", 3), entry("c", "中间", 2)];
    const all = memoryContext(entries, { tokens: 1000, countTokens }, 5);
    expect(all.used.map((e) => e.id)).toEqual(["b", "c", "a"]);
    expect(all.text.split("\n").slice(1)).toEqual(["- 新的", "- 中间", "- 旧的"]);
    const budget = countTokens(memoryContext(entries.slice(1, 3), { tokens: 1000, countTokens }, 5).text);
    expect(memoryContext(entries, { tokens: budget, countTokens }, 5).used.map((e) => e.id)).toEqual([
      "b",
      "c",
    ]);
    expect(memoryContext(entries, { tokens: 5, countTokens }, 5)).toEqual({ used: [], text: "" });
  });

  it("leaves out expired entries and leaves the system prompt alone without memory", () => {
    expect(memoryContext([entry("a", "x", 1)], { tokens: 1000, countTokens }, 10_000).used).toEqual([]);
    expect(withMemory("你是助手", "")).toBe("你是助手");
    expect(withMemory("你是助手", "记忆")).toBe("你是助手\n\n记忆");
  });
});
