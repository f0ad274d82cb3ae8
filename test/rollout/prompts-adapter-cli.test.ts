import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import { fileSha256 } from "../../src/engine/local/lora-adapter-file.js";
import { createTinyLoraGguf } from "../support/gguf/tiny-lora.js";
import { createTinyQwen2Gguf, tinyQwen2Shape } from "../support/gguf/tiny-qwen2.js";
import { makeTempDir } from "../support/test-app.js";

const run = promisify(execFile);

/** `promptloop …` from the sources, against the tiny model as MODEL_PATH. */
async function promptloop(args: string[], dataDir: string) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", path.join(packageRoot, "src", "cli", "main.ts"), ...args],
      {
        cwd: packageRoot,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          PROMPTS_DIR: path.join(packageRoot, "prompts"),
          DATA_DIR: dataDir,
          MODEL_PATH: await createTinyQwen2Gguf(),
        },
        timeout: 60_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

it("prompts create --adapter path:scale records the checked adapter; a mismatched one is refused", async () => {
  const dataDir = await makeTempDir();
  expect((await promptloop(["init"], dataDir)).code).toBe(0);
  const create = (args: string[]) => promptloop(["prompts", "create", ...args], dataDir);
  const adapter = await createTinyLoraGguf();
  const created = await create(["sentiment", "v2", "--adapter", `${adapter}:0.5`, "--json"]);
  expect(created.code, created.stderr).toBe(0);
  expect(JSON.parse(created.stdout)).toMatchObject({
    created: true,
    version: {
      id: "sentiment@v2",
      definition: { adapter: { path: adapter, scale: 0.5, sha256: await fileSha256(adapter) } },
    },
  });
  const wide = await createTinyLoraGguf({ shape: { ...tinyQwen2Shape, hidden: 32 } });
  const refused = await create(["sentiment", "v3", "--adapter", wide]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("does not fit the served model");
  const missing = await create(["sentiment", "v3", "--adapter", path.join(dataDir, "none.gguf")]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain("does not exist");
}, 180_000);
