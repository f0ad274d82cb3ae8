import fs from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import { writeupYaml } from "../../src/prompts/registry-file/test-support/writeup-yaml.js";
import { cli, requireBuiltCli } from "../support/run-cli.js";
import { makeTempDir } from "../support/test-app.js";

beforeAll(requireBuiltCli);

/** A folder holding the write-up's YAML, a new DATA_DIR and an empty PROMPTS_DIR. */
async function workspace() {
  const dir = await makeTempDir();
  const file = path.join(dir, "writeup.yaml");
  await fs.writeFile(file, writeupYaml);
  await fs.mkdir(path.join(dir, "no-prompts"));
  return { dir, file, data: path.join(dir, "data"), emptyPrompts: path.join(dir, "no-prompts") };
}

const shippedPrompts = path.join(packageRoot, "prompts");

describe("promptloop prompts import, with the write-up's YAML", () => {
  it("imports into an empty registry, saying what it inferred", async () => {
    const { file, data, emptyPrompts } = await workspace();
    const { code, stdout } = await cli([
      "prompts",
      "import",
      file,
      "--data-dir",
      data,
      "--prompts-dir",
      emptyPrompts,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("created: sentiment@v1, sentiment@v2\n");
    expect(stdout).toContain(
      "  prompts.v1.sentiment: kind classifier, labels 正面 / 负面 read from “你是一个冷酷的情感分析师...输出只能是'正面'或'负面'”\n",
    );
    expect(stdout).toContain("active: sentiment@v2 (no status in the file: the task's last version in it)\n");
  });

  it("in a default install: a conflict with a short diff and the way out, then --as-new-version", async () => {
    const { file, data } = await workspace();
    const env = { PROMPTS_DIR: shippedPrompts };
    expect((await cli(["init", "--data-dir", data], env)).code).toBe(0);
    const refused = await cli(["prompts", "import", file, "--data-dir", data], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      "prompts.v1.sentiment: sentiment@v1 already exists in the registry with different content:",
    );
    expect(refused.stderr).toContain("    +你是一个冷酷的情感分析师...输出只能是'正面'或'负面'\n");
    expect(refused.stderr).toContain(`    promptloop prompts import --as-new-version ${file}\n`);

    const saved = await cli(
      ["prompts", "import", "--as-new-version", file, "--data-dir", data, "--json"],
      env,
    );
    expect(saved.code).toBe(0);
    expect(JSON.parse(saved.stdout)).toMatchObject({
      created: ["sentiment@v2", "sentiment@v3"],
      renumbered: [
        { entry: "prompts.v1.sentiment", storedId: "sentiment@v2" },
        { entry: "prompts.v2.sentiment", storedId: "sentiment@v3" },
      ],
    });
    const shown = await cli(["prompts", "show", "sentiment@v2", "--data-dir", data, "--json"], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      version: {
        status: "draft",
        parentId: "sentiment@v1",
        changelog: { importedFrom: { file, entry: "prompts.v1.sentiment", fileId: "sentiment@v1" } },
      },
    });
  });

  it("--help names --as-new-version", async () => {
    const { stdout } = await cli(["prompts", "import", "--help"]);
    expect(stdout).toContain("--as-new-version");
  });
});
