import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledPromptsDir, packageRoot } from "../../src/config.js";
import type { SimulationReport } from "../../src/simulate/core/simulation-report.js";
import { writeGeneratedReviewCsv } from "../support/generated-review-csv.js";
import { makeTempDir } from "../support/test-app.js";

const run = promisify(execFile);
const bin = path.join(packageRoot, "bin", "promptloop.js");
let dir: string;
let dataset: string;

/** The built CLI (npm test builds first), with no environment beyond PATH and HOME. */
async function simulate(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, "simulate", ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PROMPTS_DIR: bundledPromptsDir },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const scripted = ["--model", "scripted", "--blind-spot", "设施"];

async function csv(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, text);
  return file;
}

beforeAll(async () => {
  dir = await makeTempDir("promptloop-simulate-cli-");
  dataset = await writeGeneratedReviewCsv(dir, 120);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("promptloop simulate", () => {
  it("--help lists every flag", async () => {
    const { code, stdout } = await simulate(["--help"]);
    expect(code).toBe(0);
    for (const flag of [
      "--dataset",
      "--label-map",
      "--users-per-day",
      "--wrong-feedback-rate",
      "--spammers",
      "--blind-spot",
      "--json",
      "--out",
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it("runs a short scripted simulation, says it is scripted, and prints {days, events, versions} with --json", async () => {
    const out = path.join(dir, "report.html");
    const args = [
      "--dataset",
      dataset,
      "--text-column",
      "review",
      "--label-column",
      "stars",
      "--label-map",
      "1=正面,0=负面",
    ];
    const { code, stdout, stderr } = await simulate([
      ...args,
      ...scripted,
      "--days",
      "1",
      "--users-per-day",
      "40",
      "--json",
      "--out",
      out,
    ]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("SCRIPTED model");
    const report = JSON.parse(stdout) as SimulationReport;
    expect(report.days).toHaveLength(1);
    expect(report.days[0]).toMatchObject({ users: 40 });
    expect(report.events[0]).toMatchObject({ type: "analysis", day: 1 });
    // Only the simulated task: tasks no simulated user reached (intent, moderation, qa-check) stay off the timeline.
    const analysed = report.events.filter((event) => event.type === "analysis");
    expect(analysed.map((event) => event.decision.split(":")[0])).toEqual(analysed.map(() => "sentiment"));
    expect(report.versions.map((v) => v.id)).toContain("sentiment@v1");
    expect(report.model.scripted).toBe(true);
    expect(await fs.readFile(out, "utf8")).toContain("<svg");
  });

  it.each([
    [
      "a missing column",
      "review,stars\n好,1\n",
      ["--label-map", "1=正面"],
      /has no column "text" \(--text-column\); its columns are "review", "stars"/,
    ],
    [
      "a label outside the task's set",
      "text,label\n很好,正面\n还行,中性\n",
      [],
      /line 3: label "中性" in column "label" is not one of the task's labels \(正面, 负面\)/,
    ],
    ["an empty file", "", [], /is empty: it has no header line/],
    ["a header without rows", "text,label\n", [], /has a header but no rows/],
  ])("stops on %s with a message naming the column or the line", async (_case, text, extra, message) => {
    const file = await csv(`bad-${Math.random().toString(36).slice(2)}.csv`, text);
    const { code, stderr } = await simulate(["--dataset", file, ...extra, ...scripted]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a non-empty --data-dir and never touches it", async () => {
    const dataDir = path.join(dir, "real-data");
    await fs.mkdir(dataDir);
    await fs.writeFile(path.join(dataDir, "promptloop.db"), "not touched");
    const { code, stderr } = await simulate([
      "--dataset",
      dataset,
      "--label-column",
      "stars",
      "--text-column",
      "review",
      "--label-map",
      "1=正面,0=负面",
      ...scripted,
      "--data-dir",
      dataDir,
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--data-dir .* is not empty/);
    expect(await fs.readdir(dataDir)).toEqual(["promptloop.db"]);
    expect(await fs.readFile(path.join(dataDir, "promptloop.db"), "utf8")).toBe("not touched");
  });

  it("removes its temporary data folder when stopped by a signal", async () => {
    const args = ["--dataset", dataset, "--label-column", "stars", "--text-column", "review"];
    const child = spawn(
      process.execPath,
      [bin, "simulate", ...args, "--label-map", "1=正面,0=负面", ...scripted, "--days", "60"],
      { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PROMPTS_DIR: bundledPromptsDir } },
    );
    let stderr = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const folder = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /simulating in (\S+) \(temporary/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.on("exit", () => reject(new Error(`exited before it started: ${stderr}`)));
    });
    expect(existsSync(folder)).toBe(true);
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(stderr).toContain(`stopped by SIGTERM; removed ${folder}`);
    expect(existsSync(folder)).toBe(false);
  });

  it("needs a blind spot for the scripted model", async () => {
    const { code, stderr } = await simulate(["--dataset", dataset, "--model", "scripted"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--model scripted needs at least one --blind-spot WORD");
  });
});
