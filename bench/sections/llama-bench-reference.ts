import { execFile, spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startCpuContention } from "../lib/cpu-contention.js";
import { roundTo } from "../lib/percentiles.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";

const run = promisify(execFile);
const log = (message: string) => progress("llama-bench", message);

/** The llama.cpp source node-llama-cpp 3.21.1 was built from, shipped inside the package as a git bundle. */
const bundle = fileURLToPath(
  new URL("../../node_modules/node-llama-cpp/llama/gitRelease.bundle", import.meta.url),
);

async function exists(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => undefined)) !== undefined;
}

/** Streams a build step's output to stderr (it takes minutes) and fails on a non-zero exit. */
async function step(command: string, args: string[], cwd: string): Promise<void> {
  log(`${command} ${args.join(" ")}`);
  // Lowest priority: the build must not slow down whatever else shares the machine.
  const child = spawn("nice", ["-n", "19", command, ...args], {
    cwd,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`${command} exited with ${code}`);
}

/** Builds llama-bench natively (-march=native) from the bundled source: about 5–8 minutes on 2 cores. */
async function buildLlamaBench(cacheDir: string): Promise<string> {
  const source = path.join(cacheDir, "llama.cpp");
  const binary = path.join(source, "build", "bin", "llama-bench");
  if (await exists(binary)) return binary;
  if (!(await exists(source))) await step("git", ["clone", "--quiet", bundle, source], cacheDir);
  await step(
    "cmake",
    [
      "-S",
      ".",
      "-B",
      "build",
      "-DCMAKE_BUILD_TYPE=Release",
      "-DGGML_NATIVE=ON",
      "-DLLAMA_CURL=OFF",
      "-DLLAMA_BUILD_TESTS=OFF",
      "-DLLAMA_BUILD_EXAMPLES=OFF",
      "-DLLAMA_BUILD_SERVER=OFF",
    ],
    source,
  );
  await step("cmake", ["--build", "build", "--target", "llama-bench", "-j", "2"], source);
  return binary;
}

interface LlamaBenchRow {
  n_prompt: number;
  n_gen: number;
  avg_ts: number;
  stddev_ts: number;
}

/**
 * Optional reference: llama.cpp's own llama-bench on the same Q8_0 file and thread count. Uses a binary from
 * LLAMA_BENCH_BIN or an earlier build in .cache/bench; builds one only with --build-llama-bench.
 */
export async function measureLlamaBench(options: SectionOptions): Promise<SectionResult> {
  const stop = startCpuContention();
  const built = path.join(options.cacheDir, "llama.cpp", "build", "bin", "llama-bench");
  let binary = process.env.LLAMA_BENCH_BIN ?? built;
  if (!(await exists(binary))) {
    if (!options.buildLlamaBench) {
      return {
        figures: {},
        rows: [],
        skipped: "no llama-bench binary; run with --build-llama-bench (~5–8 min)",
      };
    }
    binary = await buildLlamaBench(options.cacheDir);
  }
  log(`${binary} -m Q8_0 -t ${options.threads}`);
  const { stdout } = await run(
    binary,
    [
      "-m",
      options.models.q8_0,
      "-t",
      String(options.threads),
      // Weights read into memory, as the service does: mapped weights stall on this VM (see the engine's mmap).
      "-mmp",
      "0",
      "-p",
      "48,80,400",
      "-n",
      "64",
      "-r",
      options.quick ? "2" : "5",
      "-o",
      "json",
    ],
    { maxBuffer: 16 * 2 ** 20 },
  );
  const results = JSON.parse(stdout) as LlamaBenchRow[];
  const pick = (p: number, g: number) => results.find((r) => r.n_prompt === p && r.n_gen === g);
  const tg = pick(0, 64);
  const figures = {
    binary,
    // 48 tokens: what a sentiment request evaluates (a 30–40-token review plus the template's turn markers).
    pp48TokPerS: roundTo(pick(48, 0)?.avg_ts ?? Number.NaN),
    pp80TokPerS: roundTo(pick(80, 0)?.avg_ts ?? Number.NaN),
    pp400TokPerS: roundTo(pick(400, 0)?.avg_ts ?? Number.NaN),
    tg64TokPerS: roundTo(tg?.avg_ts ?? Number.NaN),
    tg64StddevTokPerS: roundTo(tg?.stddev_ts ?? Number.NaN),
  };
  const rows: TableRow[] = [
    {
      section: "llama-bench",
      metric: "pp48 / pp80 / pp400 (native build)",
      value: `${figures.pp48TokPerS} / ${figures.pp80TokPerS} / ${figures.pp400TokPerS} tok/s`,
      note: `48 tokens take ${roundTo((48 / figures.pp48TokPerS) * 1000, 0)} ms: the floor of a sentiment request`,
    },
    {
      section: "llama-bench",
      metric: "tg64 (native build)",
      value: `${figures.tg64TokPerS} tok/s`,
      note: `± ${figures.tg64StddevTokPerS}`,
    },
  ];
  return { figures, rows, contention: stop() };
}

runAsScript(import.meta.url, measureLlamaBench);
