import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type Token } from "node-llama-cpp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTinyQwen2Gguf } from "../../../test/support/gguf/tiny-qwen2.js";
import { PrefixStateCache } from "./prefix-state-cache.js";

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";

let llama: Llama;
let context: LlamaContext;
let tokens: (text: string) => Token[];
let parent: string;

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: await createTinyQwen2Gguf() });
  context = await model.createContext({ contextSize: 512, sequences: 2, threads: 1 });
  tokens = (text) => model.tokenize(text, false);
});
afterAll(async () => {
  await llama?.dispose();
});
beforeEach(async () => {
  parent = await fs.mkdtemp(path.join(os.tmpdir(), "prefix-cache-test-"));
});

const systemPrompt = "你是一个冷酷的情感分析师，只分析用户输入文本所表达的情感倾向，不做任何解释。";
const fewShot = "示例：房间很干净。正面。服务太差。负面。";

describe("PrefixStateCache", () => {
  it("removes the snapshot folders of dead processes and its own on dispose", async () => {
    const orphan = path.join(parent, "promptloop-kv-999999999-abc");
    const unrelated = path.join(parent, "someone-else");
    await fs.mkdir(orphan);
    await fs.mkdir(unrelated);
    const cache = await PrefixStateCache.create({ dir: parent });
    const names = await fs.readdir(parent);
    expect(names).not.toContain("promptloop-kv-999999999-abc");
    expect(names).toContain("someone-else");
    expect(names.some((n) => n.startsWith(`promptloop-kv-${process.pid}-`))).toBe(true);
    await cache.dispose();
    expect(await fs.readdir(parent)).toEqual(["someone-else"]);
  });

  it("snapshots the shortest stable prefix at once and a longer one only when it repeats", async () => {
    const cache = await PrefixStateCache.create({ dir: parent, minTokens: 4 });
    const [a, b] = [context.getSequence(), context.getSequence()];
    try {
      const system = tokens(systemPrompt);
      const withShots = [...system, ...tokens(fewShot)];
      const request = (input: string) => [...withShots, ...tokens(input)];
      const lengths = [withShots.length, system.length];

      const first = await cache.prepare(a, request("好"), lengths);
      expect(first).toMatchObject({ source: "evaluated", reusedTokens: 0 });
      expect(cache.stats).toMatchObject({ created: 1, entries: 1 });
      // Sequence b starts empty: it loads the system prompt, and the second sight of the few-shot prefix saves it.
      const second = await cache.prepare(b, request("坏"), lengths);
      expect(second).toMatchObject({ source: "evaluated", reusedTokens: system.length });
      expect(cache.stats).toMatchObject({ restored: 1, created: 2, entries: 2 });
      // Now the whole prefix loads, into a sequence that held something else.
      await b.clearHistory();
      const third = await cache.prepare(b, request("一般"), lengths);
      expect(third).toMatchObject({ source: "snapshot", reusedTokens: withShots.length });
      expect(b.contextTokens).toEqual(withShots);
    } finally {
      a.dispose();
      b.dispose();
      await cache.dispose();
    }
  });

  it("evicts the least recently used snapshot and evaluates when a snapshot file has vanished", async () => {
    const cache = await PrefixStateCache.create({ dir: parent, minTokens: 4, maxEntries: 1 });
    const [a, b] = [context.getSequence(), context.getSequence()];
    try {
      const one = tokens(systemPrompt);
      const two = tokens(fewShot + systemPrompt);
      await cache.prepare(a, [...one, ...tokens("好")], [one.length]);
      await cache.prepare(a, [...two, ...tokens("好")], [two.length]);
      expect(cache.stats.entries).toBe(1);
      // The first prefix was evicted, so b evaluates it again.
      expect(await cache.prepare(b, [...one, ...tokens("坏")], [one.length])).toMatchObject({
        source: "evaluated",
      });
      const [folder] = (await fs.readdir(parent)).filter((n) => n.startsWith("promptloop-kv-"));
      for (const file of await fs.readdir(path.join(parent, folder!)))
        await fs.rm(path.join(parent, folder!, file));
      await a.clearHistory();
      const prepared = await cache.prepare(a, [...one, ...tokens("坏")], [one.length]);
      expect(prepared.source).toBe("evaluated");
      expect(a.contextTokens).toEqual(one);
    } finally {
      a.dispose();
      b.dispose();
      await cache.dispose();
    }
  });
});
