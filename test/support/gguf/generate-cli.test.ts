import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGgufFileInfo } from "node-llama-cpp";

const run = promisify(execFile);
const cli = fileURLToPath(new URL("./generate-cli.ts", import.meta.url));
const generate = (...args: string[]) => run(process.execPath, ["--import", "tsx", cli, ...args]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "generate-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("generate-cli", () => {
  it("documents its options", async () => {
    const { stdout } = await generate("--help");
    for (const option of ["--type", "--tiny", "--out-dir", "--seed", "--verify"])
      expect(stdout).toContain(option);
  });

  it("writes the tiny model into --out-dir and reuses it on the next run", async () => {
    const first = await generate("--tiny", "--type", "q8_0", "--out-dir", dir);
    const [path] = first.stdout.split("\n");
    expect(await readdir(dir)).toEqual([path?.slice(dir.length + 1)]);
    const info = await readGgufFileInfo(path ?? "", { sourceType: "filesystem" });
    expect(info.metadata.general.architecture).toBe("qwen2");
    const second = await generate("--tiny", "--type", "q8_0", "--out-dir", dir);
    expect(second.stdout.split("\n")[0]).toBe(path);
  });

  it("rejects an unknown tensor type", async () => {
    await expect(generate("--type", "q5_k", "--out-dir", dir)).rejects.toThrow(/argument 'q5_k' is invalid/);
  });
});
