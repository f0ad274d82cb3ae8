import { copyFile, mkdtemp, rm, writeFile, appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkLoraAdapter, fileSha256 } from "../../src/engine/local/lora-adapter-file.js";
import { createRegistryService, type RegistryService } from "../../src/prompts/registry-service.js";
import { exportRegistryYaml } from "../../src/prompts/registry-file/export-registry-file.js";
import { createInMemoryPromptStore } from "../../src/prompts/store/in-memory-prompt-store.js";
import type { PromptStore } from "../../src/prompts/store/prompt-store.js";
import { createTinyLoraGguf } from "../support/gguf/tiny-lora.js";
import { createTinyQwen2Gguf, tinyQwen2Shape } from "../support/gguf/tiny-qwen2.js";

let dir: string;
let modelFile: string;
let adapterFile: string;
let prompts: PromptStore;
let registry: RegistryService;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "promptloop-adapter-"));
  modelFile = await createTinyQwen2Gguf();
  // A private copy: one test changes its bytes.
  adapterFile = path.join(dir, "tiny-lora.gguf");
  await copyFile(await createTinyLoraGguf(), adapterFile);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  prompts = createInMemoryPromptStore();
  registry = createRegistryService({
    prompts,
    now: () => 5_000,
    checkAdapter: (request) => checkLoraAdapter(request, modelFile),
  });
  await prompts.saveVersion({
    definition: { task: "chat", version: "v1", kind: "generator", systemPrompt: "chat" },
    source: "file",
    createdAt: 1,
  });
  await prompts.moveLabels([{ task: "chat", label: "active", toVersionId: "chat@v1" }], {
    actor: "test",
    reason: "test",
    now: 1,
  });
});

const create = (version: string, adapter: { path: string; scale?: number } | null | undefined) =>
  registry.create({ task: "chat", version, ...(adapter !== undefined && { adapter }) }, { actor: "test" });

describe("prompt versions with a LoRA adapter", () => {
  it("records the adapter's absolute path, scale and SHA-256; children inherit it; export carries it", async () => {
    const { version } = await create("v2", { path: adapterFile, scale: 0.5 });
    const sha256 = await fileSha256(adapterFile);
    expect(version.definition.adapter).toEqual({ path: adapterFile, scale: 0.5, sha256 });
    const child = await registry.create(
      { task: "chat", version: "v3", parentId: "chat@v2", system: "x" },
      { actor: "t" },
    );
    expect(child.version.definition.adapter).toEqual({ path: adapterFile, scale: 0.5, sha256 });
    const dropped = await registry.create(
      { task: "chat", version: "v4", parentId: "chat@v2", adapter: null },
      { actor: "t" },
    );
    expect(dropped.version.definition.adapter).toBeUndefined();
    expect(await exportRegistryYaml(prompts, { task: "chat" })).toContain(`sha256: ${sha256}`);
    const diff = await registry.diff("chat@v1", "chat@v2");
    expect(JSON.stringify(diff)).toContain("adapter");
  });

  it("the same version again is a no-op, but a changed adapter file conflicts: it can't pass as the same version", async () => {
    await create("v2", { path: adapterFile });
    expect((await create("v2", { path: adapterFile })).created).toBe(false);
    await appendFile(adapterFile, new Uint8Array(32));
    await expect(create("v2", { path: adapterFile })).rejects.toMatchObject({
      code: "PROMPT_VERSION_CONFLICT",
    });
  });

  it("refuses a missing file", async () => {
    await expect(create("v2", { path: path.join(dir, "nope.gguf") })).rejects.toMatchObject({
      code: "ADAPTER_NOT_FOUND",
    });
  });

  it("refuses a file that is not GGUF, and a GGUF that is a model rather than an adapter", async () => {
    const text = path.join(dir, "adapter.txt");
    await writeFile(text, "not a gguf file at all");
    await expect(create("v2", { path: text })).rejects.toMatchObject({ code: "ADAPTER_INVALID" });
    await expect(create("v2", { path: modelFile })).rejects.toMatchObject({
      code: "ADAPTER_INVALID",
      message: expect.stringContaining("general.type = undefined"),
    });
  });

  it.each([
    ["another architecture", { architecture: "llama" }, /architecture llama, the model's is qwen2/],
    ["another width", { shape: { ...tinyQwen2Shape, hidden: 32 } }, /blk\.0\.attn_q\.weight is \[64, 64\]/],
    [
      "more blocks than the model",
      { shape: { ...tinyQwen2Shape, layers: 3 } },
      /no tensor blk\.2\.attn_q\.weight/,
    ],
  ])("refuses an adapter made for %s", async (_, mismatch, problem) => {
    const file = await createTinyLoraGguf(mismatch);
    await expect(create("v2", { path: file })).rejects.toMatchObject({
      code: "ADAPTER_MISMATCH",
      message: expect.stringMatching(problem),
    });
    // The refused version was not stored; the active one still is.
    expect((await registry.list({ task: "chat" })).map((v) => v.id)).toEqual(["chat@v1"]);
  });

  it("refuses an out-of-range scale", async () => {
    await expect(create("v2", { path: adapterFile, scale: 11 })).rejects.toMatchObject({
      code: "ADAPTER_INVALID",
    });
  });

  it("refuses adapters outright where the model can't load them (a remote model)", async () => {
    const remote = createRegistryService({ prompts, now: () => 5_000 });
    await expect(
      remote.create({ task: "chat", version: "v2", adapter: { path: adapterFile } }, { actor: "t" }),
    ).rejects.toMatchObject({ code: "ADAPTER_UNSUPPORTED" });
  });
});
