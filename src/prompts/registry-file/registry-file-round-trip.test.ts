import type { PromptLabelName } from "../prompt-label.js";
import { describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../storage/sqlite/open-sqlite-database.js";
import type { PromptDefinition } from "../../tasks/prompt-definition.js";
import { createInMemoryPromptStore } from "../store/in-memory-prompt-store.js";
import type { PromptStore } from "../store/prompt-store.js";
import { createSqlPromptStore } from "../store/sql-prompt-store.js";
import { exportRegistryYaml } from "./export-registry-file.js";
import { importRegistryYaml } from "./import-registry-file.js";

const v1: PromptDefinition = {
  task: "sentiment",
  version: "v1",
  kind: "classifier",
  systemPrompt: "你是一个冷酷的情感分析师。\n输出只能是'正面'或'负面'。",
  labels: ["正面", "负面"],
  description: "the write-up's v1",
};
const chat: PromptDefinition = {
  task: "chat",
  version: "v1",
  kind: "generator",
  systemPrompt: "你是一个友善的助手。",
  params: { temperature: 0.7, maxTokens: 256 },
};
const meta = { now: Date.parse("2026-05-01T00:00:00Z"), actor: "test" };

/** A registry with every status: v1 pending retirement, v2 retired, v3 active, v4 canary, v5 draft. */
async function seed(store: PromptStore): Promise<void> {
  await store.saveVersion({ definition: v1, source: "file", createdAt: 1_000 });
  await store.saveVersion({ definition: chat, source: "file", createdAt: 1_000 });
  const versions: Array<[string, string, PromptDefinition["fewShot"]?]> = [
    ["v2", "第二版"],
    ["v3", "第三版：注意转折词。\n只输出标签。", [{ input: "不错，但是太贵", label: "负面" }]],
    ["v4", "第四版"],
    ["v5", "第五版"],
  ];
  for (const [index, [version, systemPrompt, fewShot]] of versions.entries()) {
    const { description: _description, ...base } = v1;
    await store.saveVersion({
      definition: { ...base, version, systemPrompt, ...(fewShot && { fewShot }) },
      parentId: "sentiment@v1",
      source: index === 1 ? "analysis" : "human",
      changelog: { summary: `${version} changes`, evidence: { reportId: `r-${index}` } },
      createdAt: 2_000 + index,
    });
  }
  const move = (label: PromptLabelName, to: string | null, now: number) =>
    store.moveLabels([{ task: "sentiment", label, toVersionId: to }], { actor: "seed", reason: "seed", now });
  await store.moveLabels([{ task: "chat", label: "active", toVersionId: "chat@v1" }], {
    actor: "seed",
    reason: "seed",
    now: 1,
  });
  await move("active", "sentiment@v1", 1);
  await move("retired", "sentiment@v2", 2);
  await move("pending_retirement", "sentiment@v1", 3);
  await move("active", "sentiment@v3", 3);
  await move("canary", "sentiment@v4", 4);
}

const stores: Array<[string, () => Promise<PromptStore>]> = [
  ["in-memory", async () => createInMemoryPromptStore()],
  ["sqlite", async () => createSqlPromptStore((await openSqliteDatabase(":memory:")).db)],
];

describe.each(stores)("registry YAML on the %s store", (_name, createStore) => {
  it("round-trips: export → import into an empty registry → export gives the same document", async () => {
    const source = await createStore();
    await seed(source);
    const exported = await exportRegistryYaml(source);
    const target = await createStore();
    const result = await importRegistryYaml(target, exported, meta);
    expect(result).toEqual({
      created: expect.arrayContaining(["sentiment@v1", "sentiment@v5", "chat@v1"]),
      unchanged: [],
      inferred: [],
      renumbered: [],
      labelsRestored: ["chat", "sentiment"],
      activated: [],
      labelsSkipped: [],
    });
    expect(await exportRegistryYaml(target)).toBe(exported);
    for (const version of await source.listVersions()) {
      expect(await target.getVersion(version.id)).toEqual(version);
    }
    const pointers = (labels: Awaited<ReturnType<PromptStore["listLabels"]>>) =>
      labels.map(({ task, label, versionId }) => [task, label, versionId]);
    expect(pointers(await target.listLabels())).toEqual(pointers(await source.listLabels()));
  });

  it("writes the write-up's shape, prompts: <version>: <task>:, with the metadata", async () => {
    const store = await createStore();
    await seed(store);
    const exported = await exportRegistryYaml(store, { task: "sentiment" });
    expect(exported).toMatch(/^prompts:\n {2}v1:\n {4}sentiment:\n {6}kind: classifier\n {6}system: \|-\n/m);
    expect(exported).toContain("      status: pending_retirement\n");
    expect(exported).toContain("      source: analysis\n");
    expect(exported).not.toContain("chat");
  });

  it("accepts the short form: a bare system prompt derived from the task's previous version", async () => {
    const store = await createStore();
    await seed(store);
    const result = await importRegistryYaml(
      store,
      "prompts:\n  v6:\n    sentiment: 只输出'正面'或'负面'。\n",
      meta,
    );
    expect(result).toMatchObject({ created: ["sentiment@v6"], labelsRestored: [], labelsSkipped: [] });
    const v6 = await store.getVersion("sentiment@v6");
    expect(v6).toMatchObject({
      parentId: "sentiment@v3",
      source: "file",
      createdAt: meta.now,
      definition: { kind: "classifier", labels: ["正面", "负面"], systemPrompt: "只输出'正面'或'负面'。" },
    });
  });

  it("never relabels a task that has labels, and is idempotent", async () => {
    const store = await createStore();
    await seed(store);
    const before = await store.listLabels();
    const text = await exportRegistryYaml(store);
    const result = await importRegistryYaml(store, text.replace("status: canary", "status: active"), meta);
    expect(result.created).toEqual([]);
    expect(result.labelsSkipped).toEqual(["chat", "sentiment"]);
    expect(await store.listLabels()).toEqual(before);
  });

  it.each([
    ["not YAML", "prompts: [", "VALIDATION_FAILED"],
    ["the wrong shape", "versions:\n  v1: {}\n", "VALIDATION_FAILED"],
    ["a bad task name", "prompts:\n  v9:\n    Bad: x\n", "VALIDATION_FAILED"],
    ["a bare prompt for an unknown task", "prompts:\n  v1:\n    intent: 分类\n", "VALIDATION_FAILED"],
    [
      "a classifier without labels",
      "prompts:\n  v1:\n    intent: {kind: classifier, system: x}\n",
      "VALIDATION_FAILED",
    ],
    [
      "an unknown parent",
      "prompts:\n  v7:\n    sentiment: {kind: generator, system: x, parent: sentiment@v0}\n",
      "VALIDATION_FAILED",
    ],
    [
      "two active versions of one task",
      "prompts:\n  v1:\n    intent: {kind: generator, system: a, status: active}\n  v2:\n    intent: {kind: generator, system: b, status: active}\n",
      "VALIDATION_FAILED",
    ],
    [
      "changed content under an existing id",
      "prompts:\n  v1:\n    sentiment: 改过的提示\n",
      "PROMPT_VERSION_CONFLICT",
    ],
  ])("refuses %s and writes nothing", async (_name, text, code) => {
    const store = await createStore();
    await store.saveVersion({ definition: v1, source: "file", createdAt: 1 });
    await store.moveLabels([{ task: "sentiment", label: "active", toVersionId: "sentiment@v1" }], {
      actor: "seed",
      reason: "seed",
      now: 1,
    });
    const before = await exportRegistryYaml(store);
    await expect(importRegistryYaml(store, `${text}`, meta)).rejects.toMatchObject({ code });
    expect(await exportRegistryYaml(store)).toBe(before);
  });
});

describe("a hand-written file's shape survives import → export", () => {
  it("writes system_prompt, a text changelog and the Chinese status names back as they came in", async () => {
    const text = [
      "# promptloop prompt registry: prompts: <version>: <task>: <entry>. Import with `promptloop prompts import`.",
      "",
      "prompts:",
      "  v1:",
      "    sentiment:",
      "      kind: classifier",
      "      system_prompt: 输出只能是'正面'或'负面'",
      "      labels:",
      "        - 正面",
      "        - 负面",
      "      parent: null",
      "      source: file",
      "      changelog: 原文的 v1",
      "      createdAt: 2026-01-22T07:28:15.000Z",
      "      status: 待淘汰",
      "  v2:",
      "    sentiment:",
      "      kind: classifier",
      "      system: 注意:如果句子包含矛盾情绪(如'失望但能接受'),优先判定为'负面'",
      "      labels:",
      "        - 正面",
      "        - 负面",
      "      parent: sentiment@v1",
      "      source: human",
      "      changelog:",
      "        summary: 矛盾情绪",
      "        evidence:",
      "          reportId: r-1",
      "      createdAt: 2026-01-23T07:28:15.000Z",
      "      status: 金丝雀",
      "  v3:",
      "    sentiment:",
      "      kind: classifier",
      "      system: 第三版",
      "      labels:",
      "        - 正面",
      "        - 负面",
      "      parent: sentiment@v2",
      "      source: human",
      "      changelog: {}",
      "      createdAt: 2026-01-24T07:28:15.000Z",
      "      status: 活跃",
      "",
    ].join("\n");
    const store = createInMemoryPromptStore();
    const result = await importRegistryYaml(store, text, meta);
    expect(result.labelsRestored).toEqual(["sentiment"]);
    expect(await exportRegistryYaml(store)).toBe(text);
    const labels = await store.listLabels("sentiment");
    expect(labels.map(({ label, versionId }) => [label, versionId])).toEqual([
      ["active", "sentiment@v3"],
      ["canary", "sentiment@v2"],
      ["pending_retirement", "sentiment@v1"],
    ]);
    // After a change of labels, a version is written with the canonical Chinese name of its new status.
    await store.moveLabels(
      [
        { task: "sentiment", label: "canary", toVersionId: null },
        { task: "sentiment", label: "active", toVersionId: "sentiment@v2" },
      ],
      { actor: "test", reason: "promote", now: 2 },
    );
    const exported = await exportRegistryYaml(store);
    expect(exported).toContain("      createdAt: 2026-01-23T07:28:15.000Z\n      status: 活跃\n");
    expect(exported).toContain("      createdAt: 2026-01-24T07:28:15.000Z\n      status: 草稿\n");
  });
});
