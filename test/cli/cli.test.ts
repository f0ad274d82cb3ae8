import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import { cli, requireBuiltCli } from "../support/run-cli.js";
import { makeTempDir } from "../support/test-app.js";

beforeAll(requireBuiltCli);

describe("promptloop CLI", () => {
  it.each([[[]], [["serve"]], [["init"]], [["export-feedback"]], [["prompts"]], [["prompts", "list"]]])(
    "%j --help explains itself",
    async (args) => {
      const { code, stdout } = await cli([...args, "--help"]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: promptloop/);
      expect(stdout).toContain("Options:");
    },
  );

  it("prompts list loads the prompt files and shows the active versions", async () => {
    const dataDir = await makeTempDir();
    const env = { PROMPTS_DIR: path.join(packageRoot, "prompts") };
    expect((await cli(["init", "--data-dir", dataDir], env)).code).toBe(0);
    const { code, stdout } = await cli(["prompts", "list", "--json", "--data-dir", dataDir], env);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<{ id: string; rolloutLabels: string[] }>;
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: "sentiment@v1",
          rolloutLabels: ["active"],
          outputLabels: ["正面", "负面"],
        }),
        expect.objectContaining({ id: "chat@v1", rolloutLabels: ["active"] }),
      ]),
    );
  });

  it("export-feedback writes JSON lines of an empty store without failing; a folder without a database is refused", async () => {
    const dataDir = await makeTempDir();
    const missing = await cli(["export-feedback", "--data-dir", dataDir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^promptloop: No promptloop database at .*promptloop\.sqlite\. Check DATA_DIR/,
    );
    expect(fs.readdirSync(dataDir)).toEqual([]);
    expect((await cli(["init", "--data-dir", dataDir])).code).toBe(0);
    const { code, stdout } = await cli(["export-feedback", "--data-dir", dataDir]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    const old = await cli(["export", "--data-dir", dataDir]);
    expect(old).toMatchObject({ code: 0, stdout: "" });
    expect(old.stderr).toContain("`export` is deprecated and will be removed; use `export-feedback`");
  });

  it("reports a bad configuration readably with exit code 2", async () => {
    const { code, stderr } = await cli(["serve"], { PORT: "not-a-port", DATA_DIR: await makeTempDir() });
    expect(code).toBe(2);
    expect(stderr).toContain("PORT");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("exits within 30 s with the clear message when the default model can't be downloaded (offline)", async () => {
    const dataDir = await makeTempDir();
    const modelsDir = path.join(dataDir, "models");
    const started = Date.now();
    const { code, stderr } = await cli(["serve"], {
      DATA_DIR: dataDir,
      MODELS_DIR: modelsDir,
      PROMPTS_DIR: path.join(packageRoot, "prompts"),
      // No network is reachable in tests; point the hub at a closed local port so this is true on any machine.
      HTTPS_PROXY: "http://127.0.0.1:9",
      HTTP_PROXY: "http://127.0.0.1:9",
    });
    expect(code).toBe(3);
    expect(Date.now() - started).toBeLessThan(30_000);
    // The start-up steps, then the failure in one line naming the variables involved.
    const lines = stderr.trimEnd().split("\n");
    expect(lines.slice(0, -1).every((line) => /^promptloop: (prompts|model): /.test(line))).toBe(true);
    const [failure] = lines.slice(-1);
    // Why the download failed depends on how the network refuses (a stall here, an error elsewhere).
    expect(
      failure?.startsWith(
        "promptloop: MODEL_PATH=hf:Qwen/Qwen1.5-0.5B-Chat-GGUF/qwen1_5-0_5b-chat-q8_0.gguf could not be downloaded " +
          `into MODELS_DIR=${modelsDir}: `,
      ),
    ).toBe(true);
    expect(
      failure?.endsWith(". Set MODEL_PATH to a local .gguf file, or start where Hugging Face is reachable"),
    ).toBe(true);
  }, 45_000);
});
