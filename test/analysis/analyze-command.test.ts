import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import type { AnalysisOutcome } from "../../src/analysis/job/analysis-service.js";
import { createTinyQwen2Gguf } from "../support/gguf/tiny-qwen2.js";
import { makeTempDir } from "../support/test-app.js";

const run = promisify(execFile);
const main = path.join(packageRoot, "src", "cli", "main.ts");

/** Runs `promptloop` from source (tsx), so the test needs no build. */
async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", main, ...args], {
      cwd: packageRoot,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        PROMPTS_DIR: path.join(packageRoot, "prompts"),
        THREADS: "1",
        CONTEXT_SIZE: "1024",
        ...env,
      },
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A DATA_DIR with a database (`promptloop init`): analyze refuses a folder without one. */
async function initializedDataDir(): Promise<string> {
  const dataDir = await makeTempDir();
  const { code, stderr } = await cli(["init", "--data-dir", dataDir]);
  expect(code, stderr).toBe(0);
  return dataDir;
}

describe("promptloop analyze", () => {
  it("refuses a DATA_DIR without a database instead of analysing a new empty one", async () => {
    const dataDir = await makeTempDir();
    const { code, stderr } = await cli(["analyze", "--no-replay", "--data-dir", dataDir]);
    expect(code).toBe(2);
    expect(stderr).toContain(`No promptloop database at ${path.join(dataDir, "promptloop.sqlite")}`);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it("explains itself", async () => {
    const { code, stdout } = await cli(["analyze", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: promptloop analyze/);
    expect(stdout).toContain("--no-replay");
    expect(stdout).toContain("--data-dir");
    expect(stdout).toContain("Prompt 优化建议报告");
  });

  it("without replay analyses DATA_DIR without the model and writes the report in three formats", async () => {
    const dataDir = await initializedDataDir();
    const { code, stdout } = await cli(["analyze", "--no-replay", "--data-dir", dataDir], {
      MODEL_PATH: "/nowhere/model.gguf",
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^completed: /);
    expect(stdout).toContain("sentiment: no change — only 0 labelled samples, need 200");
    const reportId = /report: .*\/(\d{8}-\d{6}-r\d+)\.\{json,md,html\}/.exec(stdout)![1]!;
    expect(fs.readdirSync(path.join(dataDir, "reports")).sort()).toEqual(
      ["html", "json", "md"].map((format) => `${reportId}.${format}`),
    );
  });

  it("prints the outcome as JSON with --json", async () => {
    const dataDir = await initializedDataDir();
    const { code, stdout } = await cli(["analyze", "--no-replay", "--json", "--data-dir", dataDir]);
    expect(code).toBe(0);
    const outcome = JSON.parse(stdout) as AnalysisOutcome;
    expect(outcome.report.run).toMatchObject({ trigger: "cli", replay: { enabled: false } });
    expect(outcome.report.title).toBe("Prompt 优化建议报告");
  });

  it("fails with exit code 3 and no stack trace when the model for the replay can't be had", async () => {
    const dataDir = await initializedDataDir();
    const { code, stderr } = await cli(["analyze", "--data-dir", dataDir, "--model", "/nowhere/model.gguf"]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/MODEL_PATH=\/nowhere\/model.gguf does not exist/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("loads the model like serve does and replays; a second run finds nothing new", async () => {
    const dataDir = await initializedDataDir();
    const model = await createTinyQwen2Gguf();
    const first = await cli(["analyze", "--json", "--data-dir", dataDir, "--model", model]);
    expect(first.code).toBe(0);
    const outcome = JSON.parse(first.stdout) as AnalysisOutcome;
    expect(outcome).toMatchObject({ status: "completed", report: { run: { replay: { enabled: true } } } });
    const second = await cli(["analyze", "--data-dir", dataDir, "--model", model]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^skipped: no new feedback since run #1/);
  }, 180_000);
});
