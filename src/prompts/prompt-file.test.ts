import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../config.js";
import { contentHash } from "../tasks/prompt-definition.js";
import { createInMemoryPromptStore } from "./store/in-memory-prompt-store.js";
import { readPromptFiles } from "./prompt-directory.js";
import { parsePromptFile } from "./prompt-file.js";
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
    [
      "an unknown key",
      "task: t\nversion: v1\nkind: generator\nsystem: s\ntemprature: 1",
      /bad\.yaml:5: temprature: unknown key "temprature"; expected one of task, version, kind/,
    ],
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
  const v1 = {
    definition: parsePromptFile(
      "task: t\nversion: v1\nkind: classifier\nsystem: s\nlabels: [a, b]",
      "t.v1.yaml",
    ),
    file: "prompts/t.v1.yaml",
    line: 2,
  };

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
    const v2 = { ...v1, definition: { ...v1.definition, version: "v2", systemPrompt: "s2" } };
    const result = await syncPromptFiles(store, [v1, v2], 2);
    expect(result.activated).toEqual([]);
    expect((await store.listLabels("t"))[0]?.versionId).toBe("t@v1");
  });

  it("fails when a file changes the text of an existing version, naming file, line, difference and fix", async () => {
    const store = createInMemoryPromptStore();
    await syncPromptFiles(store, [v1], 1);
    const edited = { ...v1, definition: { ...v1.definition, systemPrompt: "edited in place" } };
    const failure = syncPromptFiles(store, [edited], 2);
    await expect(failure).rejects.toMatchObject({ code: "PROMPT_VERSION_CONFLICT" });
    const message = await failure.catch((error: Error) => error.message);
    expect(message).toMatch(
      /^prompts\/t\.v1\.yaml:2: t@v1 is already in the registry with different content/,
    );
    expect(message).toContain("    -s\n    +edited in place");
    expect(message).toContain(
      "Fix: give the file's version a new name (version: v1 → an unused one such as v1-2)",
    );
  });

  it("activates the version a registry file marks active rather than the last one", async () => {
    const store = createInMemoryPromptStore();
    const v2 = { ...v1, definition: { ...v1.definition, version: "v2", systemPrompt: "s2" } };
    await syncPromptFiles(store, [{ ...v1, status: "active" as const }, v2], 1);
    expect((await store.listLabels("t")).map((label) => label.versionId)).toEqual(["t@v1"]);
  });
});
