import fs from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { packageRoot } from "../../config.js";
import { readPromptDirectory } from "../prompt-directory.js";
import { createInMemoryPromptStore } from "../store/in-memory-prompt-store.js";
import type { PromptStore } from "../store/prompt-store.js";
import { syncPromptFiles } from "../sync-prompt-files.js";
import { exportRegistryYaml } from "./export-registry-file.js";
import { importRegistryYaml } from "./import-registry-file.js";
import { writeupElidedV1 as elidedV1, writeupV2, writeupYaml } from "./test-support/writeup-yaml.js";

const meta = { now: Date.parse("2026-05-01T00:00:00Z"), actor: "test", fileName: "writeup.yaml" };
const shippedPrompts = path.join(packageRoot, "prompts");

async function defaultInstall(): Promise<PromptStore> {
  const store = createInMemoryPromptStore();
  await syncPromptFiles(store, await readPromptDirectory(shippedPrompts), 1);
  return store;
}

describe("the write-up's YAML in an empty registry", () => {
  it("imports: v1's labels read from 输出只能是'正面'或'负面', v2 built on v1, v2 active", async () => {
    const store = createInMemoryPromptStore();
    const result = await importRegistryYaml(store, writeupYaml, meta);
    expect(result).toMatchObject({
      created: ["sentiment@v1", "sentiment@v2"],
      inferred: [
        `prompts.v1.sentiment: kind classifier, labels 正面 / 负面 read from “${elidedV1}”`,
        "prompts.v2.sentiment: kind, labels and settings from prompts.v1.sentiment",
      ],
      activated: ["sentiment@v2"],
    });
    expect(await store.getVersion("sentiment@v1")).toMatchObject({
      parentId: null,
      definition: { kind: "classifier", labels: ["正面", "负面"], systemPrompt: elidedV1 },
    });
    expect(await store.getVersion("sentiment@v2")).toMatchObject({
      parentId: "sentiment@v1",
      definition: { kind: "classifier", labels: ["正面", "负面"], systemPrompt: writeupV2 },
    });
  });

  it("asks for labels when the prompt does not say them", async () => {
    const store = createInMemoryPromptStore();
    const failure = importRegistryYaml(store, "prompts:\n  v1:\n    intent: 判断用户的意图。\n", meta);
    await expect(failure).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(failure).rejects.toThrow(
      /writeup\.yaml:3: prompts\.v1\.intent: cannot tell what intent outputs: .* labels, e\.g\. intent: \{system: "…", labels: \[正面, 负面\]\}, or kind: generator/,
    );
    expect(await store.listVersions()).toEqual([]);
  });

  it("refuses it when PROMPTS_DIR defines sentiment@v1 otherwise, since the service would refuse to start", async () => {
    const store = createInMemoryPromptStore();
    const promptFiles = await readPromptDirectory(shippedPrompts);
    await expect(importRegistryYaml(store, writeupYaml, { ...meta, promptFiles })).rejects.toThrow(
      /sentiment@v1 already exists in prompts\/sentiment\.v1\.yaml \(PROMPTS_DIR, loaded at start\)/,
    );
    expect(await store.listVersions()).toEqual([]);
  });
});

describe("the write-up's YAML in a default install", () => {
  let store: PromptStore;
  beforeEach(async () => {
    store = await defaultInstall();
  });

  it("reports the elided v1 as a conflict with a short diff and the way out, and writes nothing", async () => {
    const before = await exportRegistryYaml(store);
    const failure = importRegistryYaml(store, writeupYaml, meta);
    await expect(failure).rejects.toMatchObject({
      code: "PROMPT_VERSION_CONFLICT",
      details: { conflicts: [{ id: "sentiment@v1", path: "prompts.v1.sentiment", line: 3 }] },
    });
    const message = await failure.catch((error: Error) => error.message);
    expect(message).toContain(
      "writeup.yaml:3: prompts.v1.sentiment: sentiment@v1 already exists in the registry",
    );
    expect(message).toContain(
      "    -你是一个冷酷的情感分析师，只分析用户输入文本所表达的情感倾向，不做任何解释，不回答问题。\n",
    );
    expect(message).toContain(`    +${elidedV1}\n`);
    expect(message).toContain("    promptloop prompts import --as-new-version writeup.yaml");
    expect(await exportRegistryYaml(store)).toBe(before);
  });

  it("--as-new-version saves v1 and v2 as sentiment@v2 and @v3 after the active one, saying where they came from", async () => {
    const result = await importRegistryYaml(store, writeupYaml, { ...meta, asNewVersion: true });
    expect(result).toMatchObject({
      created: ["sentiment@v2", "sentiment@v3"],
      renumbered: [
        { fileId: "sentiment@v1", entry: "prompts.v1.sentiment", storedId: "sentiment@v2", existing: false },
        { fileId: "sentiment@v2", entry: "prompts.v2.sentiment", storedId: "sentiment@v3", existing: false },
      ],
      activated: [],
    });
    expect(await store.getVersion("sentiment@v2")).toMatchObject({
      parentId: "sentiment@v1",
      definition: { systemPrompt: elidedV1, labels: ["正面", "负面"] },
      changelog: {
        summary: "Imported from writeup.yaml (prompts.v1.sentiment) as sentiment@v2: sentiment@v1 was taken.",
        importedFrom: { file: "writeup.yaml", entry: "prompts.v1.sentiment", fileId: "sentiment@v1" },
      },
    });
    expect(await store.getVersion("sentiment@v3")).toMatchObject({
      parentId: "sentiment@v2",
      definition: { systemPrompt: writeupV2 },
    });
    const active = (await store.listLabels("sentiment")).find((label) => label.label === "active");
    expect(active?.versionId).toBe("sentiment@v1");
    // Again: every entry's content is stored already, so nothing new.
    const again = await importRegistryYaml(store, writeupYaml, { ...meta, asNewVersion: true });
    expect(again).toMatchObject({ created: [], unchanged: ["sentiment@v2", "sentiment@v3"] });
  });

  it("loads the shipped example of the write-up's v2 as a draft sentiment@v2 built on v1", async () => {
    const text = await fs.readFile(path.join(packageRoot, "examples", "writeup-prompts.yaml"), "utf8");
    const result = await importRegistryYaml(store, text, {
      ...meta,
      fileName: "examples/writeup-prompts.yaml",
    });
    expect(result).toMatchObject({ created: ["sentiment@v2"], labelsRestored: [], activated: [] });
    const v2 = await store.getVersion("sentiment@v2");
    expect(v2).toMatchObject({
      parentId: "sentiment@v1",
      definition: { kind: "classifier", labels: ["正面", "负面"] },
      changelog: { summary: "原文 4.2.3 的 v2：如果句子包含矛盾情绪（如'失望但能接受'），优先判定为'负面'" },
      yamlShape: { systemKey: "system_prompt", changelog: "text", statusName: "草稿" },
    });
    const v1 = await store.getVersion("sentiment@v1");
    expect(v2?.definition.systemPrompt).toBe(
      `${v1?.definition.systemPrompt}\n注意：如果句子包含矛盾情绪（如'失望但能接受'），优先判定为'负面'。`,
    );
    expect((await store.listLabels("sentiment")).map((label) => label.versionId)).toEqual(["sentiment@v1"]);
  });
});
