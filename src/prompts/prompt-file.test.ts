import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../config.js";
import { contentHash } from "../tasks/prompt-definition.js";
import { createInMemoryPromptStore } from "./store/in-memory-prompt-store.js";
import { parsePromptFile, readPromptFiles } from "./prompt-file.js";
import { syncPromptFiles } from "./sync-prompt-files.js";

describe("prompt files", () => {
  it("ships sentiment v1 (labels 正面/负面, the write-up's cold analyst) and chat v1", async () => {
    const definitions = await readPromptFiles(path.join(packageRoot, "prompts"));
    const sentiment = definitions.find((d) => d.task === "sentiment")!;
    expect(sentiment).toMatchObject({ version: "v1", kind: "classifier", labels: ["正面", "负面"] });
    expect(sentiment.systemPrompt).toContain("冷酷的情感分析师");
    expect(sentiment.systemPrompt).toContain("输出只能是'正面'或'负面'");
    expect(definitions.find((d) => d.task === "chat")).toMatchObject({ version: "v1", kind: "generator" });
  });

  it.each([
    ["not YAML", "task: [", /not valid YAML/],
    [
      "a classifier without labels",
      "task: t\nversion: v1\nkind: classifier\nsystem: s",
      /labels: a classifier needs labels/,
    ],
    [
      "duplicate labels",
      "task: t\nversion: v1\nkind: classifier\nsystem: s\nlabels: [a, a]",
      /labels must be unique/,
    ],
    ["an unknown key", "task: t\nversion: v1\nkind: generator\nsystem: s\ntemprature: 1", /Unrecognized key/],
    ["a bad task name", "task: Bad Name\nversion: v1\nkind: generator\nsystem: s", /task/],
    [
      "a few-shot label outside the labels",
      "task: t\nversion: v1\nkind: classifier\nsystem: s\nlabels: [a, b]\nfewShot: [{input: x, label: c}]",
      /unknown label c/,
    ],
  ])("rejects %s, naming the file", (_name, text, message) => {
    expect(() => parsePromptFile(text, "bad.yaml")).toThrow(/bad\.yaml/);
    expect(() => parsePromptFile(text, "bad.yaml")).toThrow(message);
  });

  it("hashes by content: key order and description don't matter, the text does", () => {
    const a = parsePromptFile("task: t\nversion: v1\nkind: classifier\nsystem: s\nlabels: [a, b]", "a.yaml");
    const b = parsePromptFile(
      "labels: [a, b]\nsystem: s\nkind: classifier\nversion: v1\ntask: t\ndescription: hi",
      "b.yaml",
    );
    const c = parsePromptFile("task: t\nversion: v1\nkind: classifier\nsystem: s!\nlabels: [a, b]", "c.yaml");
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).not.toBe(contentHash(c));
  });
});

describe("syncPromptFiles", () => {
  const v1 = parsePromptFile(
    "task: t\nversion: v1\nkind: classifier\nsystem: s\nlabels: [a, b]",
    "t.v1.yaml",
  );

  it("loads versions, activates a task that has no active version, and is idempotent", async () => {
    const store = createInMemoryPromptStore();
    expect(await syncPromptFiles(store, [v1], 1)).toEqual({
      created: ["t@v1"],
      unchanged: [],
      activated: ["t"],
    });
    expect(await syncPromptFiles(store, [v1], 2)).toEqual({
      created: [],
      unchanged: ["t@v1"],
      activated: [],
    });
    expect((await store.listMoves()).length).toBe(1);
  });

  it("never moves an existing active label", async () => {
    const store = createInMemoryPromptStore();
    await syncPromptFiles(store, [v1], 1);
    const v2 = { ...v1, version: "v2", systemPrompt: "s2" };
    const result = await syncPromptFiles(store, [v1, v2], 2);
    expect(result.activated).toEqual([]);
    expect((await store.listLabels("t"))[0]?.versionId).toBe("t@v1");
  });

  it("fails when a file changes the text of an existing version", async () => {
    const store = createInMemoryPromptStore();
    await syncPromptFiles(store, [v1], 1);
    await expect(syncPromptFiles(store, [{ ...v1, systemPrompt: "edited in place" }], 2)).rejects.toThrow(
      /t@v1 already exists with different content/,
    );
  });
});
