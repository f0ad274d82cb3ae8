import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import { createTinyQwen2Gguf } from "../support/gguf/tiny-qwen2.js";
import { makeTempDir } from "../support/test-app.js";

const run = promisify(execFile);
const script = path.join(packageRoot, "scripts", "evaluate-task.ts");
const coldMap = path.join(packageRoot, "evaluation", "cold-moderation-map.json");

/** Runs scripts/evaluate-task.ts from source (tsx) with only PATH and HOME from the environment. */
async function evaluate(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: packageRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The 95% Wilson score interval, written out here so the script's figures are checked against the formula. */
function wilson(successes: number, trials: number): { low: number; high: number } {
  const z = 1.959963984540054;
  const p = successes / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / denominator;
  return { low: centre - half, high: centre + half };
}

interface EvaluationJson {
  task: string;
  version: string;
  rows: { read: number; skipped: number; usable: number; evaluated: number };
  accuracy: { estimate: number; low: number; high: number; correct: number; total: number };
  majorityBaseline: { label: string; share: number };
  confusion: Array<{ gold: string; predicted: string; count: number }>;
  perLabel: Array<{ label: string }>;
  mining: { trigger: { decision: string; reason: string }; confusedPairs: unknown[] } | null;
}

describe("scripts/evaluate-task.ts on the tiny model", () => {
  let model: string;
  let csv: string;
  beforeAll(async () => {
    model = await createTinyQwen2Gguf();
    // COLD's shape (text, label 0 = safe / 1 = offensive), written here: the data set itself never enters the repo.
    const dir = await makeTempDir("promptloop-evaluate-");
    csv = path.join(dir, "cold-like.csv");
    await fs.writeFile(
      csv,
      [
        "text,label,topic",
        "今天天气不错，适合出去走走,0,none",
        "这家店的服务很周到,0,none",
        '"他说:""明天见""",0,none',
        "请问地铁站怎么走,0,none",
        "你们这些人真是差劲透了,1,none",
        "滚回你老家去吧,1,region",
        "这一行的标签不在映射里,7,none",
        "",
      ].join("\n"),
    );
  });

  it("prints its usage with --help, naming --json", async () => {
    const { code, stdout } = await evaluate(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: npx tsx scripts/evaluate-task.ts <task> <data.csv>");
    expect(stdout).toContain("--json");
    expect(stdout).toContain("--label-map");
  });

  it("scores a labelled CSV through the real engine: accuracy with its Wilson interval and the confusion matrix", async () => {
    const { code, stdout, stderr } = await evaluate([
      "moderation",
      csv,
      "--label-map",
      coldMap,
      "--model",
      model,
      "--threads",
      "1",
      "--sequences",
      "2",
      "--json",
      "--mine",
    ]);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as EvaluationJson;
    expect(result.version).toBe("moderation@v1");
    // The row whose label the map leaves out is skipped and counted; the blank line is not a row.
    expect(result.rows).toEqual({ read: 7, skipped: 1, usable: 6, evaluated: 6 });
    // The tiny model's random weights answer 正常 to the shipped moderation prompt whatever the text (the server
    // tests rely on the same: test/support/flagging-prompts.ts), so the figures are known exactly.
    expect(result.confusion).toEqual([
      { gold: "正常", predicted: "正常", count: 4 },
      { gold: "冒犯", predicted: "正常", count: 2 },
    ]);
    const interval = wilson(4, 6);
    expect(result.accuracy.correct).toBe(4);
    expect(result.accuracy.total).toBe(6);
    expect(result.accuracy.estimate).toBeCloseTo(4 / 6, 10);
    expect(result.accuracy.low).toBeCloseTo(interval.low, 10);
    expect(result.accuracy.high).toBeCloseTo(interval.high, 10);
    expect(result.majorityBaseline).toEqual({ label: "正常", share: 4 / 6 });
    expect(result.perLabel.map((row) => row.label)).toEqual(["正常", "冒犯"]);
    // --mine hands the results to the analysis core as feedback.
    expect(result.mining?.trigger.decision).toEqual(expect.any(String));
  });

  it("prints the same figures as text without --json", async () => {
    const { code, stdout, stderr } = await evaluate([
      "moderation",
      csv,
      "--label-map",
      coldMap,
      "--model",
      model,
      "--threads",
      "1",
    ]);
    expect(code, stderr).toBe(0);
    const interval = wilson(4, 6);
    const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
    expect(stdout).toContain("moderation@v1 on");
    expect(stdout).toContain("6 rows evaluated (6 usable, 1 skipped)");
    expect(stdout).toContain(
      `accuracy 66.7% (4/6), 95% interval ${pct(interval.low)}–${pct(interval.high)}; ` +
        "always answering 正常 would score 66.7%",
    );
    expect(stdout).toContain("confusion matrix (rows: gold, columns: predicted)");
  });

  it.each<[string, string[], RegExp]>([
    ["no data file", ["moderation"], /Usage:/],
    ["a generator", ["chat", "x.csv", "--model", "m.gguf"], /chat is a generator/],
    ["an unknown task", ["nope", "x.csv", "--model", "m.gguf"], /has no task nope/],
    ["no model", ["moderation", "x.csv"], /--model <file.gguf> is needed/],
  ])("refuses %s with exit code 2 and a message", async (_name, args, message) => {
    const { code, stderr } = await evaluate(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("refuses a label map naming labels the task does not have", async () => {
    const dir = await makeTempDir("promptloop-evaluate-");
    const map = path.join(dir, "map.json");
    await fs.writeFile(map, JSON.stringify({ map: { "0": "正常", "1": "有害" } }));
    const { code, stderr } = await evaluate(["moderation", csv, "--label-map", map, "--model", model]);
    expect(code).toBe(2);
    expect(stderr).toContain("the label map names labels moderation doesn't have: 有害");
  });
});
