import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import { promisify } from "node:util";
import { ensureLlamaCppBuild, locateLlamaCppBuild } from "../../scripts/llama-cpp/llama-cpp-build.js";
import { startCpuContention } from "../lib/cpu-contention.js";
import { roundTo } from "../lib/percentiles.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";

const run = promisify(execFile);
const log = (message: string) => progress("llama-bench", message);

async function exists(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => undefined)) !== undefined;
}

/** llama-bench from the shared llama.cpp build (scripts/llama-cpp), built here only with --build-llama-bench. */
async function buildLlamaBench(): Promise<string> {
  const build = await ensureLlamaCppBuild({
    targets: ["llama-bench"],
    onProgress: (event) => {
      if (event.kind === "step" || event.percent % 10 === 0)
        log(event.kind === "step" ? event.message : `${event.percent}%`);
    },
  });
  return build.binaries["llama-bench"];
}

/**
 * What one sentiment request evaluates with the shipped prompt on the Qwen-shaped vocabulary: the system prompt's
 * 64 tokens are in the sequence already; a 35-token review (the middle of the 30–40 range the target names) plus
 * `<|im_end|>\n<|im_start|>assistant\n` is evaluated.
 */
const sentimentRequest = { tokens: 40, depth: 64 } as const;

interface LlamaBenchRow {
  n_prompt: number;
  n_gen: number;
  avg_ts: number;
  stddev_ts: number;
}

/**
 * Optional reference: llama.cpp's own llama-bench on the same Q8_0 file and thread count. Uses a binary from
 * LLAMA_BENCH_BIN or the shared build in .cache/llama.cpp; builds one only with --build-llama-bench.
 */
export async function measureLlamaBench(options: SectionOptions): Promise<SectionResult> {
  const stop = startCpuContention();
  const built = (await locateLlamaCppBuild()).binaries["llama-bench"];
  let binary = process.env.LLAMA_BENCH_BIN ?? built;
  if (!(await exists(binary))) {
    if (!options.buildLlamaBench) {
      return {
        figures: {},
        rows: [],
        skipped:
          "no llama-bench binary; run with --build-llama-bench or `npm run build:llama-server -- --bench` (~15 min on 2 cores)",
      };
    }
    binary = await buildLlamaBench();
  }
  // The service's KV cache (q8_0 keys and values, which need flash attention) and weights read into memory
  // (mapped weights stall on this VM; see the engine's mmap option), so that both sides do the same work.
  const serviceLike = ["-m", options.models.q8_0, "-t", String(options.threads), "-mmp", "0", "-fa", "1"];
  const kv = ["-ctk", "q8_0", "-ctv", "q8_0"];
  const repetitions = ["-r", options.quick ? "2" : "5", "-o", "json"];
  const bench = async (args: string[]) => {
    log(`${binary} ${args.join(" ")}`);
    const { stdout } = await run(binary, [...serviceLike, ...args, ...repetitions], {
      maxBuffer: 16 * 2 ** 20,
    });
    return JSON.parse(stdout) as LlamaBenchRow[];
  };
  const general = await bench([...kv, "-p", "80,400", "-n", "64"]);
  // A sentiment request: the prompt's input-independent part is already in the sequence, so what is evaluated
  // is the review (30–40 tokens) plus the turn markers after it, at a depth of the system prompt.
  const sentiment = await bench([
    ...kv,
    "-p",
    String(sentimentRequest.tokens),
    "-n",
    "0",
    "-d",
    String(sentimentRequest.depth),
  ]);
  const pick = (rows: LlamaBenchRow[], p: number, g: number) =>
    rows.find((r) => r.n_prompt === p && r.n_gen === g);
  const tg = pick(general, 0, 64);
  const floor = pick(sentiment, sentimentRequest.tokens, 0);
  const figures = {
    binary,
    kvCache: "q8_0, flash attention",
    sentimentRequest,
    sentimentFloorTokPerS: roundTo(floor?.avg_ts ?? Number.NaN),
    sentimentFloorMs: roundTo((sentimentRequest.tokens / (floor?.avg_ts ?? Number.NaN)) * 1000),
    pp80TokPerS: roundTo(pick(general, 80, 0)?.avg_ts ?? Number.NaN),
    pp400TokPerS: roundTo(pick(general, 400, 0)?.avg_ts ?? Number.NaN),
    tg64TokPerS: roundTo(tg?.avg_ts ?? Number.NaN),
    tg64StddevTokPerS: roundTo(tg?.stddev_ts ?? Number.NaN),
  };
  const rows: TableRow[] = [
    {
      section: "llama-bench",
      metric: `pp${sentimentRequest.tokens} at depth ${sentimentRequest.depth} (a sentiment request's work)`,
      value: `${figures.sentimentFloorTokPerS} tok/s = ${roundTo(figures.sentimentFloorMs, 0)} ms`,
      note: "llama.cpp's own floor for the forward pass of one classification",
    },
    {
      section: "llama-bench",
      metric: "pp80 / pp400 (native build)",
      value: `${figures.pp80TokPerS} / ${figures.pp400TokPerS} tok/s`,
    },
    {
      section: "llama-bench",
      metric: "tg64 (native build)",
      value: `${figures.tg64TokPerS} tok/s`,
      note: `± ${figures.tg64StddevTokPerS}; KV cache q8_0 as in the service`,
    },
  ];
  return { figures, rows, contention: stop() };
}

runAsScript(import.meta.url, measureLlamaBench);
