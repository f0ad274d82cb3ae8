import { beforeEach, expect, it } from "vitest";
import { createInMemoryPromptStore } from "./store/in-memory-prompt-store.js";
import type { PromptStore } from "./store/prompt-store.js";
import { createRegistryService, type RegistryService } from "./registry-service.js";

let prompts: PromptStore;
let registry: RegistryService;
beforeEach(async () => {
  prompts = createInMemoryPromptStore();
  registry = createRegistryService({ prompts, now: () => 5_000 });
  await prompts.saveVersion({
    definition: {
      task: "sentiment",
      version: "v1",
      kind: "classifier",
      systemPrompt: "v1 prompt",
      labels: ["正面", "负面"],
      params: { temperature: 0 },
      description: "first",
    },
    source: "file",
    createdAt: 1,
  });
  await prompts.saveVersion({
    definition: { task: "chat", version: "v1", kind: "generator", systemPrompt: "chat" },
    source: "file",
    createdAt: 1,
  });
  await prompts.moveLabels([{ task: "sentiment", label: "active", toVersionId: "sentiment@v1" }], {
    actor: "test",
    reason: "test",
    now: 1,
  });
});

it("derives a new version from the active one: only what is given changes, prose is not inherited", async () => {
  const { version, created } = await registry.create(
    { task: "sentiment", version: "v2", system: "v2 prompt", changelog: { summary: "shorter" } },
    { actor: "api:alice" },
  );
  expect(created).toBe(true);
  expect(version).toMatchObject({
    id: "sentiment@v2",
    status: "draft",
    parentId: "sentiment@v1",
    source: "human",
    changelog: { summary: "shorter", createdBy: "api:alice" },
    createdAt: new Date(5_000).toISOString(),
    definition: {
      kind: "classifier",
      labels: ["正面", "负面"],
      params: { temperature: 0 },
      systemPrompt: "v2 prompt",
    },
  });
  expect(version.definition.description).toBeUndefined();
});

it("is idempotent for the same content, and refuses a change under an existing id", async () => {
  await registry.create({ task: "sentiment", version: "v2", system: "v2 prompt" }, { actor: "a" });
  const again = await registry.create(
    { task: "sentiment", version: "v2", system: "v2 prompt" },
    { actor: "a" },
  );
  expect(again.created).toBe(false);
  await expect(
    registry.create({ task: "sentiment", version: "v2", system: "other" }, { actor: "a" }),
  ).rejects.toMatchObject({ code: "PROMPT_VERSION_CONFLICT" });
  await expect(
    registry.create({ task: "sentiment", version: "v1", system: "edited v1" }, { actor: "a" }),
  ).rejects.toMatchObject({ code: "PROMPT_VERSION_CONFLICT" });
});

it.each([
  ["an unknown parent", { parentId: "sentiment@v9", system: "x" }, "PROMPT_VERSION_NOT_FOUND"],
  ["a parent of another task", { parentId: "chat@v1", system: "x" }, "VALIDATION_FAILED"],
  ["no parent and no kind", { parentId: null, system: "x" }, "VALIDATION_FAILED"],
  ["a classifier with one label", { labels: ["正面"] }, "VALIDATION_FAILED"],
  ["a bad version name", { version: "v 2" }, "VALIDATION_FAILED"],
])("refuses %s", async (_name, change, code) => {
  await expect(
    registry.create({ task: "sentiment", version: "v2", ...change }, { actor: "a" }),
  ).rejects.toMatchObject({ code });
  expect((await registry.list({ task: "sentiment" })).map((v) => v.id)).toEqual(["sentiment@v1"]);
});

it("shows a version with the label moves that concern it", async () => {
  const shown = await registry.show("sentiment@v1");
  expect(shown.version).toMatchObject({ status: "active", labels: ["active"] });
  expect(shown.moves).toHaveLength(1);
  await expect(registry.show("sentiment@v9")).rejects.toMatchObject({ code: "PROMPT_VERSION_NOT_FOUND" });
});
